package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * What the window streams share: a checkpointed operator over {@code parent} named by its kind, which takes in each
 * of the parent's datasets, then answers for the batch time; a batch time at or before the restored snapshot's is
 * skipped (its effect is in the restored state). It also knows the stream's zero time (one batch interval before
 * the first batch time it saw, kept in its snapshots) and so which batch times are slides under the graph's
 * {@link WindowSemantics}.
 */
abstract class CheckpointedWindowDStream extends DStream implements Checkpointed {
    private static final String ZERO_TIME = "zero-time-";

    final DStream parent;
    final long lengthMillis;
    private final String name;
    private long restoredTime = Long.MIN_VALUE;
    private long zeroTime = Long.MIN_VALUE;

    CheckpointedWindowDStream(final DStream parent, final Schema schema, final long lengthMillis, final long slideMillis,
                              final String kind) {
        super(parent.graph(), schema, slideMillis);
        this.parent = parent;
        this.lengthMillis = lengthMillis;
        this.name = graph().operatorName(kind);
        graph().registerCheckpointed(this);
    }

    @Override
    final synchronized Dataset compute(final long batchTime) {
        if (batchTime <= restoredTime) {
            return null;    // a replayed batch time already in the restored state
        }
        if (zeroTime == Long.MIN_VALUE) {
            zeroTime = batchTime - graph().batchIntervalMillis();
        }
        final Dataset in = parent.at(batchTime);
        if (in != null) {
            take(batchTime, in);
        }
        return emit(batchTime);
    }

    /** Whether the window emits at {@code batchTime} (under the lock, from {@link #emit}). */
    final boolean isSlide(final long batchTime) {
        return graph().windowSemantics().isSlide(batchTime, zeroTime, slideMillis());
    }

    /** Takes in the parent's dataset of {@code batchTime} (called under this stream's lock). */
    abstract void take(long batchTime, Dataset in);

    /** Drops what left the window ending at {@code batchTime}; the window's dataset at a slide, else null (under the lock). */
    abstract Dataset emit(long batchTime);

    /** Writes the state as of the end of {@code batchTimeMillis} into {@code dir} (under the lock). */
    abstract void snapshotState(long batchTimeMillis, Path dir) throws IOException;

    /** Replaces the state with the snapshot in {@code dir} (called under the lock, before the restored time is set). */
    abstract void restoreState(Path dir) throws IOException;

    @Override
    public final synchronized void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        snapshotState(batchTimeMillis, dir);
        if (zeroTime != Long.MIN_VALUE) {
            OperatorFiles.write(dir, ZERO_TIME, zeroTime, schema(), List.of());
        }
    }

    @Override
    public final String checkpointName() {
        return name;
    }

    @Override
    public final synchronized void restore(final long batchTimeMillis, final Path dir) throws IOException {
        restoreState(dir);
        final TreeMap<Long, List<Batch>> zero = OperatorFiles.read(dir, ZERO_TIME, schema(), graph().executionContext().allocator());
        zero.values().forEach(batches -> batches.forEach(Batch::release));
        zeroTime = zero.isEmpty() ? Long.MIN_VALUE : zero.firstKey();
        restoredTime = batchTimeMillis;
    }
}
