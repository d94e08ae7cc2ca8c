package io.sluice.engine.stream.dstream;

import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.state.MapWithState;
import io.sluice.engine.stream.state.StateSpec;

/**
 * The stream of {@link DStream#mapWithState}: at each of its parent's batch times, the mapped rows of a
 * {@link MapWithState} operator; {@link #stateSnapshots()} is the stream of every key with its state after that
 * batch. The operator is registered for checkpoints and closed when the graph stops.
 */
public final class MapWithStateDStream extends DStream {
    private final DStream parent;
    private final MapWithState operator;
    private final DStream snapshots;
    private final List<String> keyColumns;
    private final StateSpec spec;

    MapWithStateDStream(final DStream parent, final MapWithState operator, final List<String> keyColumns, final StateSpec spec) {
        super(parent.graph(), operator.mappedSchema(), parent.slideMillis());
        this.parent = parent;
        this.operator = operator;
        this.keyColumns = List.copyOf(keyColumns);
        this.spec = spec;
        this.snapshots = new StateSnapshotsDStream(this, operator.snapshotSchema(), operator::stateSnapshot);
        graph().registerCheckpointed(operator);
        graph().onStop(operator::close);
    }

    /** Every key with its state (key columns, then state columns) after each batch time of this stream. */
    public DStream stateSnapshots() {
        return snapshots;
    }

    @Override
    Dataset compute(final long batchTime) {
        return StateInputs.applyAt(this, parent, batchTime, operator::apply);
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.mapWithState(this, parent, keyColumns, spec);
    }

    @Override
    public String toString() {
        return "mapWithState[" + operator.checkpointName() + "](" + parent + ")";
    }
}
