package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A per-batch operator whose whole state is one {@link KeyedStateStore} ({@code updateStateByKey},
 * {@code mapWithState}): checkpointing and closing are the store's.
 */
interface KeyedStateOperator extends Checkpointed, AutoCloseable {
    /** The state behind this operator. */
    KeyedStateStore store();

    @Override
    default String checkpointName() {
        return store().checkpointName();
    }

    @Override
    default void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        store().snapshot(batchTimeMillis, dir);
    }

    @Override
    default void restore(final long batchTimeMillis, final Path dir) throws IOException {
        store().restore(batchTimeMillis, dir);
    }

    /** Frees the state; idempotent. */
    @Override
    default void close() {
        store().close();
    }
}
