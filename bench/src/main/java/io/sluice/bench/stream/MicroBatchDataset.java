package io.sluice.bench.stream;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.PartitionGenerator;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;

/**
 * A micro-batch as a Dataset of {@code partitions} contiguous row ranges, each copied column by column into the
 * task that reads it, chunk by chunk (its generator is {@link PartitionGenerator.Ranged}: the partition sizes are
 * known, so idle workers can split a running task).
 *
 * <p>Why a copy and not {@link ExecutionContext#fromBatches}: {@code fromBatches} takes over the batch (released
 * when its dataset is closed) while the caller here keeps owning it, and the engine's zero-copy alternative,
 * {@code DatasetBatches.borrow} (what the DStream graph uses), has no place for the per-task {@link PartitionCost}
 * the straggler experiment needs; the committed reports were measured with this copy, so the latency figures include it (a bulk column
 * copy, small next to the job's work). The batch must stay live until the job using the dataset returns, which
 * holds inside a {@code foreachBatch} job.
 */
public final class MicroBatchDataset {
    private MicroBatchDataset() {
    }

    /**
     * The dataset over {@code batch}; {@code cost} runs before each copied range of a partition (a task copies its
     * partition in chunks, so a split-off part pays the cost on the worker that runs it).
     */
    public static Dataset of(final ExecutionContext exec, final Batch batch, final int partitions, final PartitionCost cost) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions=" + partitions + " must be >= 1");
        }
        final int rows = batch.rowCount();
        return exec.generate(batch.schema(), partitions, new PartitionGenerator.Ranged() {
            @Override
            public long rows(final int p) {
                return from(rows, partitions, p + 1) - from(rows, partitions, p);
            }

            /** The cost runs per generated range, so a chunk split off to another worker pays that worker's cost. */
            @Override
            public void generate(final int p, final long lo, final long hi, final BatchBuilder builder) {
                final int from = from(rows, partitions, p);
                cost.apply(p, (int) (hi - lo));
                try (Batch slice = batch.slice(from + (int) lo, from + (int) hi)) {
                    for (int c = 0; c < slice.columnCount(); c++) {
                        builder.appendColumn(c, slice.vector(c));
                    }
                }
            }
        });
    }

    /** First row of partition {@code p} of {@code partitions} near-equal ranges over {@code rows} rows. */
    static int from(final int rows, final int partitions, final int p) {
        return (int) ((long) rows * p / partitions);
    }
}
