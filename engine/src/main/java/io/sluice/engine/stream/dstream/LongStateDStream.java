package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.function.LongBinaryOperator;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.state.LongKeyedState;
import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The stream of {@link DStream#mapWithLongState}: at each of its parent's batch times, every row's INT64 value is
 * folded in place into its INT64 key's {@link LongKeyedState} and the row's key and state after it are yielded,
 * one output partition per input partition (the partitions are read where they are, in order, not concatenated).
 * With a timeout, keys not updated for longer are dropped after the batch. A batch time at or before the restored
 * snapshot's is skipped (empty output). The state is registered for checkpoints and freed when the graph stops.
 */
final class LongStateDStream extends DStream {
    private final DStream parent;
    private final LongKeyedState state;
    private final int keyColumn;
    private final int valueColumn;
    private final LongBinaryOperator fold;
    private final long timeoutMillis;
    private final String key;
    private final String value;
    private final long zero;

    LongStateDStream(final DStream parent, final String name, final String key, final String value, final long zero,
                     final LongBinaryOperator fold, final long timeoutMillis) {
        super(parent.graph(), LongKeyedState.outputSchema(), parent.slideMillis());
        if (fold == null) {
            throw new IllegalArgumentException(name + ": the fold function is null");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException(name + ": timeoutMillis=" + timeoutMillis + " must be >= 0 (0 = no timeout)");
        }
        this.parent = parent;
        this.keyColumn = int64Column(parent.schema(), key, name);
        this.valueColumn = int64Column(parent.schema(), value, name);
        this.fold = fold;
        this.timeoutMillis = timeoutMillis;
        this.key = key;
        this.value = value;
        this.zero = zero;
        this.state = new LongKeyedState(name, graph().executionContext().allocator(), zero);
        graph().registerCheckpointed(state);
        graph().onStop(state::close);
    }

    /** The index of INT64 column {@code column} of {@code schema}; throws naming the stream {@code name} otherwise. */
    static int int64Column(final Schema schema, final String column, final String name) {
        final int index = schema.indexOf(column);
        final Field field = schema.field(index);
        if (field.type() != ColumnType.INT64) {
            throw new IllegalArgumentException(name + ": column '" + column + "' has type=" + field.type()
                + ", the primitive keyed state needs INT64 keys and values");
        }
        return index;
    }

    @Override
    Dataset compute(final long batchTime) {
        return StateInputs.applyToPartitionsAt(this, parent, batchTime, this::apply);
    }

    /** Folds the partitions where they are, one output batch per partition (at least one batch). */
    private List<Batch> apply(final long batchTime, final List<Batch> partitions) {
        return StateInputs.primitiveStep(this, batchTime, state.lastBatchTime(),
            () -> state.update(batchTime, partitions, keyColumn, valueColumn, fold), timeoutMillis, state::evictUpdatedBefore);
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.mapWithLongState(this, parent, key, value, zero, fold, timeoutMillis);
    }

    @Override
    public String toString() {
        return "mapWithLongState[" + state.checkpointName() + "](" + parent + ")";
    }
}
