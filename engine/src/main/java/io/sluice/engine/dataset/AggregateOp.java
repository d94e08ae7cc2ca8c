package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/** The partial (raw rows to partial rows) or final (partial rows to results) half of a hash aggregation. */
final class AggregateOp implements BatchOp {
    private final AggPlan plan;
    private final boolean isFinal;

    AggregateOp(final AggPlan plan, final boolean isFinal) {
        this.plan = plan;
        this.isFinal = isFinal;
    }

    @Override
    public Schema outputSchema() {
        return isFinal ? plan.finalSchema() : plan.partialSchema();
    }

    /** The partial half splits (the final half merges the parts' partial rows); the final half needs every row. */
    @Override
    public boolean isRowLocal() {
        return !isFinal;
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        try (HashAggregator agg = new HashAggregator(plan, isFinal, allocator)) {
            agg.add(input);
            return agg.finish(!isFinal, allocator);
        }
    }

    AggPlan plan() {
        return plan;
    }

    boolean isFinal() {
        return isFinal;
    }
}
