package io.sluice.engine.stream.dstream;

import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.engine.stream.state.UpdateStateByKey;
import io.sluice.memory.Schema;

/**
 * The stream of {@link DStream#updateStateByKey}: at each of its parent's batch times, the parent's rows go through
 * an {@link UpdateStateByKey} operator and the dataset is every key with its state. The operator is registered for
 * checkpoints and closed when the graph stops.
 */
final class UpdateStateByKeyDStream extends DStream {
    private final DStream parent;
    private final UpdateStateByKey operator;
    private final List<String> keyColumns;
    private final Schema stateSchema;
    private final StateUpdateFunction function;

    UpdateStateByKeyDStream(final DStream parent, final UpdateStateByKey operator, final List<String> keyColumns,
                            final Schema stateSchema, final StateUpdateFunction function) {
        super(parent.graph(), operator.outputSchema(), parent.slideMillis());
        this.parent = parent;
        this.operator = operator;
        this.keyColumns = List.copyOf(keyColumns);
        this.stateSchema = stateSchema;
        this.function = function;
        graph().registerCheckpointed(operator);
        graph().onStop(operator::close);
    }

    @Override
    Dataset compute(final long batchTime) {
        return StateInputs.applyAt(this, parent, batchTime, operator::apply);
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.updateStateByKey(this, parent, keyColumns, stateSchema, function);
    }

    @Override
    public String toString() {
        return "updateStateByKey[" + operator.checkpointName() + "](" + parent + ")";
    }
}
