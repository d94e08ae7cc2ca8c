package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/** A narrow, per-partition operator: one batch in, one new batch out. Stateless and thread-safe. */
interface BatchOp {
    /** The schema of every output batch. */
    Schema outputSchema();

    /** A new batch (owned by the caller) computed from {@code input}, which is not released. */
    Batch apply(Batch input, BufferAllocator allocator);
}
