package io.sluice.engine.dataset;

import java.util.List;

/**
 * A dataset grouped by key columns, waiting for its aggregates. {@link #agg} plans a partial aggregate per input
 * partition, a columnar hash exchange on the keys, and a final aggregate per output partition. Without keys
 * ({@code groupBy()}) the partial rows are gathered into one partition instead, and the result is one row.
 */
public final class GroupedDataset {
    private final Dataset parent;
    private final List<String> keys;
    private final int partitions;

    GroupedDataset(final Dataset parent, final List<String> keys, final int partitions) {
        this.parent = parent;
        this.keys = keys;
        this.partitions = partitions;
    }

    /** The same grouping into {@code n} output partitions. */
    public GroupedDataset partitions(final int n) {
        return new GroupedDataset(parent, keys, n);
    }

    /**
     * One row per distinct key tuple (nulls form a group): the keys, then each aggregate in order. Without keys,
     * exactly one row in one partition, as in SQL and Spark, even for empty input: {@code COUNT} 0 and every other
     * aggregate null.
     */
    public Dataset agg(final Agg... aggs) {
        final AggPlan plan = new AggPlan(parent.schema(), keys, List.of(aggs));
        final Dataset partial = new NarrowDataset(parent, new AggregateOp(plan, false));
        final Dataset exchanged = plan.global() ? new SortDataset(partial, List.of(), Integer.MAX_VALUE)
            : new ExchangeDataset(partial, plan.keyNames(), partitions);
        return new NarrowDataset(exchanged, new AggregateOp(plan, true));
    }
}
