package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * Datasets over batches whose lifetime the caller manages, for engines that run many short jobs on one
 * {@link ExecutionContext} (a stream runs one per micro-batch): unlike {@link ExecutionContext#fromBatches} nothing
 * is registered with the context, so memory is freed when the caller releases it, not when the context closes.
 */
public final class DatasetBatches {
    private DatasetBatches() {
    }

    /**
     * A dataset of one partition per batch that borrows {@code batches}: it takes no reference, and the caller must
     * keep every batch alive until the last action on any dataset derived from it has returned (an action after
     * that throws, it never reads freed memory).
     */
    public static Dataset borrow(final ExecutionContext ctx, final Schema schema, final List<Batch> batches) {
        final Batch[] held = batches.toArray(new Batch[0]);
        for (int i = 0; i < held.length; i++) {
            if (!held[i].schema().equals(schema)) {
                throw new IllegalArgumentException("batch index=" + i + " has schema=" + held[i].schema() + ", expected "
                    + schema);
            }
        }
        return new SourceDataset(ctx, schema, held, "borrowed", false);
    }

    /**
     * Computes every partition of {@code dataset} (one stage per chain; a source's partitions are its batches,
     * retained without a stage); the caller owns and releases the batches.
     */
    public static List<Batch> materialize(final Dataset dataset) {
        return dataset.computePartitions(dataset.allPartitions());
    }

    /** One batch of boxed {@code rows} (Integer, Long, Double, Boolean, String or null per field); the caller owns it. */
    public static Batch fromRows(final BufferAllocator allocator, final Schema schema, final List<Object[]> rows) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, Math.max(1, rows.size()))) {
            for (int r = 0; r < rows.size(); r++) {
                Rows.append(builder, rows.get(r), r);
            }
            return builder.build();
        }
    }
}
