package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.function.Supplier;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * Every key of a keyed-state stream with its state after each of the stream's batch times ({@code stateSnapshots()});
 * evaluating it runs the state stream first (memoized per batch time), then takes {@code snapshot}'s batch.
 */
final class StateSnapshotsDStream extends DStream {
    private final DStream stateful;
    private final Supplier<Batch> snapshot;

    StateSnapshotsDStream(final DStream stateful, final Schema schema, final Supplier<Batch> snapshot) {
        super(stateful.graph(), schema, stateful.slideMillis());
        this.stateful = stateful;
        this.snapshot = snapshot;
    }

    @Override
    Dataset compute(final long batchTime) {
        if (stateful.at(batchTime) == null) {
            return null;
        }
        final Batch state = graph().releaseAfterBatch(snapshot.get());
        return graph().borrow(schema(), List.of(state));
    }

    @Override
    public String toString() {
        return "stateSnapshots(" + stateful + ")";
    }
}
