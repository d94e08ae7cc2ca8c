package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;

/**
 * A sliding window: at the slides ({@link WindowSemantics.SlideAlignment}), the rows of the parent's batch times in
 * {@code (t - length, t]}. The parent's result of every batch time is materialized once and kept off-heap while it
 * is in the window (at most length / parent slide results), then released; the rest is released at stop. A
 * materialized source is a zero-copy slice that keeps its micro-batch alive, outside the input's budget.
 * Checkpointed: a snapshot holds the kept results, one batch file per batch time.
 */
final class WindowedDStream extends CheckpointedWindowDStream {
    private static final String PREFIX = "batch-";

    private final TreeMap<Long, List<Batch>> kept = new TreeMap<>();

    WindowedDStream(final DStream parent, final long lengthMillis, final long slideMillis) {
        super(parent, parent.schema(), lengthMillis, slideMillis, "window");
        graph().onStop(this::releaseAll);
    }

    @Override
    void take(final long batchTime, final Dataset in) {
        kept.put(batchTime, DatasetBatches.materialize(in));
    }

    @Override
    Dataset emit(final long batchTime) {
        final Map<Long, List<Batch>> expired = kept.headMap(batchTime - lengthMillis, true);
        for (final List<Batch> batches : expired.values()) {
            release(batches);
        }
        expired.clear();
        if (!isSlide(batchTime)) {
            return null;
        }
        final List<Batch> window = new ArrayList<>();
        for (final List<Batch> batches : kept.values()) {
            window.addAll(batches);
        }
        if (window.isEmpty()) {
            try (BatchBuilder builder = new BatchBuilder(graph().executionContext().allocator(), schema(), 1)) {
                window.add(graph().releaseAfterBatch(builder.build()));
            }
        }
        return graph().borrow(schema(), window);
    }

    @Override
    void snapshotState(final long batchTimeMillis, final Path dir) {
        for (final Map.Entry<Long, List<Batch>> e : kept.entrySet()) {
            OperatorFiles.write(dir, PREFIX, e.getKey(), schema(), e.getValue());
        }
    }

    @Override
    void restoreState(final Path dir) throws IOException {
        final TreeMap<Long, List<Batch>> read = OperatorFiles.read(dir, PREFIX, schema(), graph().executionContext().allocator());
        releaseAll();
        kept.putAll(read);
    }

    /** Batch times currently kept (for tests). */
    synchronized int keptBatchTimes() {
        return kept.size();
    }

    private synchronized void releaseAll() {
        for (final List<Batch> batches : kept.values()) {
            release(batches);
        }
        kept.clear();
    }

    private static void release(final List<Batch> batches) {
        for (final Batch batch : batches) {
            batch.release();
        }
    }

    @Override
    public String toString() {
        return "window(" + parent + ", length=" + lengthMillis + "ms, slide=" + slideMillis() + "ms)";
    }
}
