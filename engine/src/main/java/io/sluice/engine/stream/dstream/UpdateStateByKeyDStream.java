package io.sluice.engine.stream.dstream;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.state.UpdateStateByKey;

/**
 * The stream of {@link DStream#updateStateByKey}: at each of its parent's batch times, the parent's rows go through
 * an {@link UpdateStateByKey} operator and the dataset is every key with its state. The operator is registered for
 * checkpoints and closed when the graph stops.
 */
final class UpdateStateByKeyDStream extends DStream {
    private final DStream parent;
    private final UpdateStateByKey operator;

    UpdateStateByKeyDStream(final DStream parent, final UpdateStateByKey operator) {
        super(parent.graph(), operator.outputSchema(), parent.slideMillis());
        this.parent = parent;
        this.operator = operator;
        graph().registerCheckpointed(operator);
        graph().onStop(operator::close);
    }

    @Override
    Dataset compute(final long batchTime) {
        return StateInputs.applyAt(this, parent, batchTime, operator::apply);
    }

    @Override
    public String toString() {
        return "updateStateByKey[" + operator.checkpointName() + "](" + parent + ")";
    }
}
