package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Operator state a checkpoint holds (keyed state of {@code updateStateByKey} / {@code mapWithState}). The
 * context snapshots every registered operator after every k-th completed batch and restores them on a restart
 * before any batch runs; batches logged after the snapshot are then replayed. An operator therefore skips a
 * replayed batch time at or before the batch time it restored (its effect is already in the snapshot).
 */
public interface Checkpointed {
    /** A name unique within the context and stable across restarts: the snapshot's sub-folder. */
    String checkpointName();

    /**
     * Writes the state as of the end of batch {@code batchTimeMillis} into {@code dir} (created empty by the caller;
     * the caller makes the snapshot visible atomically once every operator wrote its part). Called on the job
     * executor thread between two batches.
     */
    void snapshot(long batchTimeMillis, Path dir) throws IOException;

    /** Replaces the state with the snapshot of batch {@code batchTimeMillis} in {@code dir}; called before start. */
    void restore(long batchTimeMillis, Path dir) throws IOException;
}
