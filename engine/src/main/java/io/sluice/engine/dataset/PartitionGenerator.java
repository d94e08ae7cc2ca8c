package io.sluice.engine.dataset;

import io.sluice.memory.BatchBuilder;

/** Fills the rows of one source partition; must be deterministic so a lost partition recomputes identically. */
@FunctionalInterface
public interface PartitionGenerator {
    /** Appends the rows of partition {@code partition} to {@code builder}. */
    void generate(int partition, BatchBuilder builder);
}
