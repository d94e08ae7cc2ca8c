package io.sluice.bench.stream;

/**
 * Work a benchmark adds to each dataset task before it reads its partition, or each chunk of it (for the rows of
 * that chunk): the hook through which the straggler experiment makes one worker slow. Called on the worker thread
 * running the task or chunk; thread-safe.
 */
@FunctionalInterface
public interface PartitionCost {
    /** No added cost. */
    PartitionCost NONE = (partition, rows) -> { };

    /** Runs the added cost of {@code rows} rows of partition {@code partition}. */
    void apply(int partition, int rows);
}
