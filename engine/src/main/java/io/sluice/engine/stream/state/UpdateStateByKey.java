package io.sluice.engine.stream.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * {@code updateStateByKey} as a per-batch operator with Spark's semantics: each batch, the {@link StateUpdateFunction}
 * is called for every key that has state or values in the batch (in state order, then new keys in order of first
 * appearance), and the output is every key in state with its state. State lives in a {@link KeyedStateStore}.
 * A batch time at or before the restored snapshot's is skipped (its effect is in the snapshot): the output is then
 * the restored state unchanged. Single-threaded; {@link #close()} frees the state.
 */
public final class UpdateStateByKey extends KeyedStateOperator {
    private final KeyedColumns columns;
    private final StateUpdateFunction function;
    private final List<List<Object[]>> valuesBySlot = new ArrayList<>();

    /**
     * An operator over input batches of {@code inputSchema}, keyed by the columns {@code keyColumns} (INT32, INT64,
     * UTF8; null keys are rejected), holding state rows of {@code stateSchema}; {@code name} is its checkpoint name.
     */
    public UpdateStateByKey(final String name, final BufferAllocator allocator, final Schema inputSchema,
                            final List<String> keyColumns, final Schema stateSchema, final StateUpdateFunction function) {
        this(name, allocator, new KeyedColumns(Objects.requireNonNull(inputSchema, "inputSchema"), keyColumns), stateSchema,
            Objects.requireNonNull(function, "function"));
    }

    private UpdateStateByKey(final String name, final BufferAllocator allocator, final KeyedColumns columns, final Schema stateSchema,
                             final StateUpdateFunction function) {
        super(new KeyedStateStore(name, allocator, columns.keySchema(), stateSchema));
        this.columns = columns;
        this.function = function;
    }

    /** Key columns then state columns: the schema of {@link #apply}'s output. */
    public Schema outputSchema() {
        return store.keysAndStateSchema();
    }

    /**
     * Applies batch {@code input} (not taken over) of batch time {@code batchTimeMillis} and returns every key with its
     * new state; the caller releases the result. If the function throws, the state is left as before this batch.
     */
    public Batch apply(final long batchTimeMillis, final Batch input) {
        columns.check(input, "updateStateByKey '" + store.checkpointName() + "'");
        if (batchTimeMillis <= store.restoredBatchTime()) {
            return store.keysAndState();
        }
        try (StateUpdate update = store.begin(batchTimeMillis)) {
            update.bind(input, columns.keyColumns());
            for (int r = 0; r < input.rowCount(); r++) {
                final int slot = update.slot(r);
                valuesOf(slot).add(columns.values(input, r));
            }
            final int count = update.slotCount();
            for (int i = 0; i < count; i++) {
                final int slot = update.slotAt(i);
                final List<Object[]> values = slot < valuesBySlot.size() && valuesBySlot.get(slot) != null
                    ? Collections.unmodifiableList(valuesBySlot.get(slot)) : Collections.emptyList();
                final Object[] key = update.key(slot);
                final Optional<Object[]> next = function.update(key, values, Optional.ofNullable(update.get(slot)));
                if (next == null) {
                    throw new IllegalStateException("updateStateByKey '" + store.checkpointName() + "': function returned null for key="
                        + Arrays.toString(key) + "; return Optional.empty() to remove the key");
                }
                if (next.isPresent()) {
                    update.put(slot, next.get());
                } else {
                    update.remove(slot);
                }
            }
            update.commit();
        } finally {
            valuesBySlot.clear();
        }
        return store.keysAndState();
    }

    private List<Object[]> valuesOf(final int slot) {
        while (valuesBySlot.size() <= slot) {
            valuesBySlot.add(null);
        }
        List<Object[]> values = valuesBySlot.get(slot);
        if (values == null) {
            values = new ArrayList<>(2);
            valuesBySlot.set(slot, values);
        }
        return values;
    }
}
