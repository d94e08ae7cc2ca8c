package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/** Source partitions held in memory (owned by the context until it closes). */
final class SourceDataset extends Dataset {
    private final Schema schema;
    private final Batch[] batches;

    SourceDataset(final ExecutionContext ctx, final Schema schema, final Batch[] batches) {
        super(ctx);
        this.schema = schema;
        this.batches = batches;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public int numPartitions() {
        return batches.length;
    }

    @Override
    StageInput openInput(final int[] parts) {
        final Batch[] held = new Batch[parts.length];
        try {
            for (int k = 0; k < parts.length; k++) {
                held[k] = batches[parts[k]].retain();
            }
        } catch (final RuntimeException ex) {
            Batch.releaseAll(held);
            throw ex;
        }
        return new PreparedInput(held);
    }
}
