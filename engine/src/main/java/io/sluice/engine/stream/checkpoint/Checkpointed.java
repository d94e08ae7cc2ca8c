package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

import io.sluice.engine.stream.StreamingContext;

/**
 * Operator state a checkpoint holds (keyed state of {@code updateStateByKey} / {@code mapWithState}), registered
 * with {@link StreamingContext#addCheckpointed}. The context snapshots every registered operator after every k-th
 * completed batch ({@link StreamingContext.Builder#checkpointEvery}) and restores them on a restart before any
 * batch runs; batches logged after (snapshot time - remembered duration) are then replayed in order. To be
 * recoverable an operator: (1) keeps all its state in what {@link #snapshot} writes (nothing derived from
 * wall-clock time or other processes); (2) in {@link #restore}, replaces its whole state and remembers the batch
 * time; (3) skips a replayed batch time at or before that time (its effect is already in the snapshot), and
 * applies every later batch exactly as the first run did (its update depends only on its state and the batch).
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
