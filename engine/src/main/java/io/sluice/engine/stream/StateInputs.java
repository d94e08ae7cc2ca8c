package io.sluice.engine.stream;

import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/** Turns a batch time's dataset into the one batch a keyed-state operator reads. */
final class StateInputs {
    private StateInputs() {
    }

    /** The rows of {@code dataset} (every partition, in order) as one batch the caller releases; empty for null. */
    static Batch materialize(final BufferAllocator allocator, final Schema schema, final Dataset dataset) {
        if (dataset == null) {
            return Batches.empty(allocator, schema);
        }
        final List<Batch> parts = DatasetBatches.materialize(dataset);
        return Batches.concat(allocator, schema, parts);
    }
}
