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

    /**
     * As {@link #apply(Batch, BufferAllocator)} on only the rows {@code selection} of {@code input}, which is not
     * released. The default copies those rows to a dense batch first; operators that can read the selected rows in
     * place override it.
     */
    default Batch apply(final Batch input, final SelectionVector selection, final BufferAllocator allocator) {
        try (Batch dense = selection.materialize(input, allocator)) {
            return apply(dense, allocator);
        }
    }

    /**
     * Whether applying the operator to consecutive row ranges and concatenating the outputs in order is a valid
     * output for the whole batch, so the scheduler may split its stage into morsels. True for row-at-a-time
     * operators; a partial aggregate qualifies too, since its consumer merges partial rows of the same key.
     */
    default boolean isRowLocal() {
        return true;
    }
}
