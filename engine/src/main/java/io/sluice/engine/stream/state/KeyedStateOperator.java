package io.sluice.engine.stream.state;

import java.io.IOException;
import java.nio.file.Path;

import io.sluice.engine.stream.checkpoint.Checkpointed;

/**
 * A per-batch operator whose whole state is one {@link KeyedStateStore} ({@code updateStateByKey},
 * {@code mapWithState}): checkpointing and closing are the store's. A class with non-final methods rather than an
 * interface so that javac gives the public operators public bridge methods: their inherited methods stay in their own
 * bytecode and callable by reflection, as before they were shared here.
 */
abstract class KeyedStateOperator implements Checkpointed, AutoCloseable {
    final KeyedStateStore store;

    KeyedStateOperator(final KeyedStateStore store) {
        this.store = store;
    }

    /** The state behind this operator. */
    public KeyedStateStore store() {
        return store;
    }

    @Override
    public String checkpointName() {
        return store.checkpointName();
    }

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        store.snapshot(batchTimeMillis, dir);
    }

    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        store.restore(batchTimeMillis, dir);
    }

    /** Frees the state; idempotent. */
    @Override
    public void close() {
        store.close();
    }
}
