package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Schema;

/**
 * What the window streams share: a checkpointed operator over {@code parent} named by its kind, which takes in each
 * of the parent's datasets, then answers for the batch time; a batch time at or before the restored snapshot's is
 * skipped (its effect is in the restored state).
 */
abstract class CheckpointedWindowDStream extends DStream implements Checkpointed {
    final DStream parent;
    final long lengthMillis;
    private final String name;
    private long restoredTime = Long.MIN_VALUE;

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
        final Dataset in = parent.at(batchTime);
        if (in != null) {
            take(batchTime, in);
        }
        return emit(batchTime);
    }

    /** Takes in the parent's dataset of {@code batchTime} (called under this stream's lock). */
    abstract void take(long batchTime, Dataset in);

    /** Drops what left the window ending at {@code batchTime}; the window's dataset at a slide, else null (under the lock). */
    abstract Dataset emit(long batchTime);

    /** Replaces the state with the snapshot in {@code dir} (called under the lock, before the restored time is set). */
    abstract void restoreState(Path dir) throws IOException;

    @Override
    public final String checkpointName() {
        return name;
    }

    @Override
    public final synchronized void restore(final long batchTimeMillis, final Path dir) throws IOException {
        restoreState(dir);
        restoredTime = batchTimeMillis;
    }
}
