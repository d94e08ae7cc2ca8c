package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/** Turns a batch time's dataset into the one batch a keyed-state operator reads. */
final class StateInputs {
    private StateInputs() {
    }

    /** A keyed-state operator's step: one batch in (not taken over), one batch out that the caller releases. */
    @FunctionalInterface
    interface BatchStep {
        Batch apply(long batchTimeMillis, Batch input);
    }

    /**
     * A keyed-state operator's step over a batch time's partitions as they are: batches in (not taken over), in
     * partition order, and the output batches that the caller releases.
     */
    @FunctionalInterface
    interface PartitionsStep {
        List<Batch> apply(long batchTimeMillis, List<Batch> partitions);
    }

    /**
     * The dataset of a keyed-state stream at {@code batchTime}: {@code parent}'s partitions there, computed and read
     * in place (not concatenated), through {@code step}; its output batches are released after the batch. Null if
     * {@code parent} has no dataset there.
     */
    static Dataset applyToPartitionsAt(final DStream stream, final DStream parent, final long batchTime,
                                       final PartitionsStep step) {
        final Dataset in = parent.at(batchTime);
        if (in == null) {
            return null;
        }
        final DStreamGraph graph = stream.graph();
        final List<Batch> parts = DatasetBatches.materialize(in);
        final List<Batch> out;
        try {
            out = step.apply(batchTime, parts);
        } finally {
            Batch.releaseAll(parts);
        }
        for (final Batch batch : out) {
            graph.releaseAfterBatch(batch);
        }
        return graph.borrow(stream.schema(), out);
    }

    /**
     * One batch time of a primitive keyed-state stream ({@code mapWithLongState}, {@code mapWithLongColumns}): nothing
     * at or before {@code lastBatchTime} (the restored snapshot's), else {@code update}'s output, then with a timeout
     * {@code evictBefore(batchTime - timeoutMillis)}; at least one batch (an empty one of {@code stream}'s schema).
     */
    static List<Batch> primitiveStep(final DStream stream, final long batchTime, final long lastBatchTime,
                                     final Supplier<List<Batch>> update, final long timeoutMillis,
                                     final LongConsumer evictBefore) {
        if (batchTime > lastBatchTime) {
            final List<Batch> out = update.get();
            if (timeoutMillis > 0) {
                Batch.releaseAllIfThrows(out, () -> evictBefore.accept(batchTime - timeoutMillis));
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return List.of(BatchBuilder.empty(stream.graph().executionContext().allocator(), stream.schema()));
    }

    /**
     * The dataset of a keyed-state stream at {@code batchTime}: {@code parent}'s rows there as one batch through
     * {@code step}, its output released after the batch; null if {@code parent} has no dataset there.
     */
    static Dataset applyAt(final DStream stream, final DStream parent, final long batchTime, final BatchStep step) {
        final Dataset in = parent.at(batchTime);
        if (in == null) {
            return null;
        }
        final DStreamGraph graph = stream.graph();
        final Batch out;
        try (Batch input = materialize(graph.executionContext().allocator(), parent.schema(), in)) {
            out = step.apply(batchTime, input);
        }
        return graph.borrow(stream.schema(), List.of(graph.releaseAfterBatch(out)));
    }

    /** The rows of {@code dataset} (every partition, in order) as one batch the caller releases; empty for null. */
    static Batch materialize(final BufferAllocator allocator, final Schema schema, final Dataset dataset) {
        if (dataset == null) {
            return BatchBuilder.empty(allocator, schema);
        }
        final List<Batch> parts = DatasetBatches.materialize(dataset);
        return BatchBuilder.concatAndRelease(allocator, schema, parts);
    }
}
