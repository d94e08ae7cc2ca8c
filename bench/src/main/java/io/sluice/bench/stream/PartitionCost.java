package io.sluice.bench.stream;

/**
 * Work a benchmark adds to each dataset task before it reads its partition: the hook through which the straggler
 * experiment makes one worker slow. Called on the worker thread running the task; thread-safe.
 */
@FunctionalInterface
public interface PartitionCost {
    /** No added cost. */
    PartitionCost NONE = (partition, rows) -> { };

    /** Runs the added cost of partition {@code partition} holding {@code rows} rows. */
    void apply(int partition, int rows);
}
