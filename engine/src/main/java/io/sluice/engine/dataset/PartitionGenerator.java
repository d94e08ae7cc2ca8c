package io.sluice.engine.dataset;

import io.sluice.memory.BatchBuilder;

/** Fills the rows of one source partition; must be deterministic so a lost partition recomputes identically. */
@FunctionalInterface
public interface PartitionGenerator {
    /** Appends the rows of partition {@code partition} to {@code builder}. */
    void generate(int partition, BatchBuilder builder);

    /**
     * A generator that knows each partition's row count before it runs and can produce any row range of it: a task
     * reading such a partition generates it in chunks, so an idle worker can take over the rows it has not generated
     * yet. Rows {@code [from, to)} must be exactly those rows of the whole partition, in order.
     */
    interface Ranged extends PartitionGenerator {
        /** Rows of partition {@code partition} (>= 0). */
        long rows(int partition);

        /** Appends rows {@code [from, to)} of partition {@code partition} to {@code builder}. */
        void generate(int partition, long from, long to, BatchBuilder builder);

        @Override
        default void generate(final int partition, final BatchBuilder builder) {
            generate(partition, 0, rows(partition), builder);
        }
    }
}
