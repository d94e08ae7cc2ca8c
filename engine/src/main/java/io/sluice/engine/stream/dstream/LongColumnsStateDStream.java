package io.sluice.engine.stream.dstream;

import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.engine.stream.state.LongColumnsState;
import io.sluice.memory.Batch;

/**
 * The stream of {@link DStream#mapWithLongColumns}: at each of its parent's batch times, every row is folded in place
 * into its INT64 key's {@link LongColumnsState} (the partitions read where they are, in order, then the deferred rows)
 * and the rows the fold emitted are yielded; {@link #stateSnapshots()} is the stream of every key with its state
 * columns after that batch. With a timeout, keys not updated for longer, and rows deferred for longer, are dropped
 * after the batch. A batch time at or before the restored snapshot's is skipped (empty output). The state is
 * registered for checkpoints and freed when the graph stops.
 */
public final class LongColumnsStateDStream extends DStream {
    private final DStream parent;
    private final LongColumnsState state;
    private final DStream snapshots;
    private final String key;
    private final List<String> values;
    private final int keyColumn;
    private final int[] valueColumns;

    LongColumnsStateDStream(final DStream parent, final String name, final String key, final List<String> values,
                            final LongColumnsSpec spec) {
        super(parent.graph(), requireSpec(spec, name).outputSchema(), parent.slideMillis());
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one value column is needed, got " + values);
        }
        this.parent = parent;
        this.key = key;
        this.values = List.copyOf(values);
        this.keyColumn = LongStateDStream.int64Column(parent.schema(), key, name);
        this.valueColumns = this.values.stream().mapToInt(v -> LongStateDStream.int64Column(parent.schema(), v, name)).toArray();
        this.state = new LongColumnsState(name, graph().executionContext().allocator(), valueColumns.length, spec);
        this.snapshots = new StateSnapshotsDStream(this, state.snapshotSchema(), state::stateSnapshot);
        graph().registerCheckpointed(state);
        graph().onStop(state::close);
    }

    private static LongColumnsSpec requireSpec(final LongColumnsSpec spec, final String name) {
        if (spec == null) {
            throw new IllegalArgumentException(name + ": the spec is null");
        }
        return spec;
    }

    /** Every key with its state (key, then the state columns) after each batch time of this stream. */
    public DStream stateSnapshots() {
        return snapshots;
    }

    @Override
    Dataset compute(final long batchTime) {
        return StateInputs.applyToPartitionsAt(this, parent, batchTime, this::apply);
    }

    private List<Batch> apply(final long batchTime, final List<Batch> partitions) {
        return StateInputs.primitiveStep(this, batchTime, state.lastBatchTime(),
            () -> state.update(batchTime, partitions, keyColumn, valueColumns), state.spec().timeoutMillis(),
            state::evictUpdatedBefore);
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.mapWithLongColumns(this, parent, key, values, state.spec());
    }

    @Override
    public String toString() {
        return "mapWithLongColumns[" + state.checkpointName() + "](" + parent + ")";
    }
}
