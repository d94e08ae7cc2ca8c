package io.sluice.engine.stream.state;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * {@code mapWithState} as a per-batch operator with Spark's semantics: the {@link StateSpec}'s function is called
 * for every input row in order (a key seen twice sees the state its first row left), then, with a timeout, once
 * for every key idle longer than the timeout (last updated before {@code batchTime - timeout}, no value in this
 * batch) with {@link State#isTimingOut()} true, after which the key is removed. With a timeout, a key that gets a
 * value keeps its state fresh even if the function does not update it. The output is the mapped rows; the full
 * state is {@link #stateSnapshot()}. A batch time at or before the restored snapshot's is skipped (empty output).
 * Single-threaded; {@link #close()} frees the state.
 */
public final class MapWithState extends KeyedStateOperator {
    private final KeyedColumns columns;
    private final StateSpec spec;
    private final BufferAllocator allocator;
    private final SlotState state = new SlotState();

    /**
     * An operator over input batches of {@code inputSchema} keyed by {@code keyColumns} (INT32, INT64, UTF8; null keys
     * rejected); {@code name} is its checkpoint name.
     */
    public MapWithState(final String name, final BufferAllocator allocator, final Schema inputSchema, final List<String> keyColumns,
                        final StateSpec spec) {
        this(name, new KeyedColumns(Objects.requireNonNull(inputSchema, "inputSchema"), keyColumns), Objects.requireNonNull(spec, "spec"),
            Objects.requireNonNull(allocator, "allocator"));
    }

    private MapWithState(final String name, final KeyedColumns columns, final StateSpec spec, final BufferAllocator allocator) {
        super(new KeyedStateStore(name, allocator, columns.keySchema(), spec.stateSchema()));
        this.columns = columns;
        this.spec = spec;
        this.allocator = allocator;
    }

    /** The schema of {@link #apply}'s output: the spec's mapped schema. */
    public Schema mappedSchema() {
        return spec.mappedSchema();
    }

    /** Key columns then state columns: the schema of {@link #stateSnapshot()}. */
    public Schema snapshotSchema() {
        return store.keysAndStateSchema();
    }

    /**
     * Applies batch {@code input} (not taken over) of batch time {@code batchTimeMillis} and returns the mapped rows;
     * the caller releases the result. If the function throws, the state is left as before this batch.
     */
    public Batch apply(final long batchTimeMillis, final Batch input) {
        final String operator = "mapWithState '" + store.checkpointName() + "'";
        columns.check(input, operator);
        try (BatchBuilder out = new BatchBuilder(allocator, spec.mappedSchema(), input.rowCount())) {
            if (batchTimeMillis <= store.restoredBatchTime()) {
                return out.build();
            }
            try (StateUpdate update = store.begin(batchTimeMillis)) {
                update.bind(input, columns.keyColumns());
                for (int r = 0; r < input.rowCount(); r++) {
                    final int slot = update.slot(r);
                    state.wrap(update, slot, false);
                    final Object[] key = update.key(slot);
                    emit(out, spec.function().map(key, Optional.of(columns.values(input, r)), state), key, operator);
                    if (!state.removed && !state.updated && spec.timeoutMillis() > 0) {
                        update.touch(slot);
                    }
                }
                if (spec.timeoutMillis() > 0) {
                    timeOut(update, batchTimeMillis - spec.timeoutMillis(), out, operator);
                }
                update.commit();
            } finally {
                state.wrap(null, -1, false);
            }
            return out.build();
        }
    }

    /** Calls the function once for every key held before this batch, untouched in it, last updated before {@code threshold}. */
    private void timeOut(final StateUpdate update, final long threshold, final BatchBuilder out, final String operator) {
        final Int64Vector updated = store.updatedVector();
        final int held = updated.rowCount();
        for (int r = 0; r < held; r++) {
            if (updated.get(r) >= threshold) {
                continue;
            }
            final int slot = update.slotAt(r);
            if (update.changed(slot)) {
                continue;
            }
            state.wrap(update, slot, true);
            final Object[] key = update.key(slot);
            emit(out, spec.function().map(key, Optional.empty(), state), key, operator);
            update.remove(slot);
        }
    }

    private void emit(final BatchBuilder out, final Object[] mapped, final Object[] key, final String operator) {
        if (mapped == null) {
            return;
        }
        final String problem = StateRows.problem(spec.mappedSchema(), mapped);
        if (problem != null) {
            throw new IllegalArgumentException(operator + " mapped row of key=" + Arrays.toString(key) + problem);
        }
        StateRows.set(out, 0, mapped);
        out.endRow();
    }

    /** Every key with its state as of the last batch; the caller releases the result. */
    public Batch stateSnapshot() {
        return store.keysAndState();
    }

    /** The {@link State} handed to the function: a view of one slot of the store's open update, reused per call. */
    private static final class SlotState implements State {
        private StateUpdate update;
        private int slot;
        private boolean timingOut;
        private boolean updated;
        private boolean removed;

        void wrap(final StateUpdate newUpdate, final int newSlot, final boolean isTimingOut) {
            this.update = newUpdate;
            this.slot = newSlot;
            this.timingOut = isTimingOut;
            this.updated = false;
            this.removed = false;
        }

        @Override
        public boolean exists() {
            return update.exists(slot);
        }

        @Override
        public Object[] get() {
            final Object[] row = update.get(slot);
            if (row == null) {
                throw new NoSuchElementException("state of key=" + Arrays.toString(update.key(slot)) + " does not exist");
            }
            return row;
        }

        @Override
        public void update(final Object[] newState) {
            if (timingOut) {
                throw new IllegalStateException("cannot update the state of key=" + Arrays.toString(update.key(slot))
                    + ": it is timing out");
            }
            if (removed) {
                throw new IllegalStateException("cannot update the state of key=" + Arrays.toString(update.key(slot))
                    + ": it was removed in this call");
            }
            update.put(slot, newState);
            updated = true;
        }

        @Override
        public void remove() {
            if (timingOut) {
                throw new IllegalStateException("cannot remove the state of key=" + Arrays.toString(update.key(slot))
                    + ": it is timing out (it is removed after this call)");
            }
            if (removed) {
                throw new IllegalStateException("state of key=" + Arrays.toString(update.key(slot)) + " already removed");
            }
            update.remove(slot);
            removed = true;
            updated = false;
        }

        @Override
        public boolean isTimingOut() {
            return timingOut;
        }
    }
}
