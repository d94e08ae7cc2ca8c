package io.sluice.engine.stream.state;

import io.sluice.engine.dataset.KeySlotIndex;
import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Schema;

/**
 * Maps the keys of a keyed state to stable slot numbers: the keyed-state rules (INT32, INT64 and UTF8 key columns,
 * null keys rejected) over the {@link KeySlotIndex} that hash aggregation uses too. Probing allocates nothing; a
 * UTF8 key is hashed and compared on its off-heap bytes. Freed slots are reused. Single-threaded. Internal: public
 * for the event-time window state of {@code io.sluice.engine.stream.eventtime}.
 */
public final class KeyIndex {
    private final KeySlotIndex slots;
    private ColumnVector[] bound;

    /** An index over keys of {@code keySchema}: INT32, INT64 or UTF8 columns. */
    public KeyIndex(final Schema keySchema) {
        for (int k = 0; k < keySchema.fieldCount(); k++) {
            final ColumnType type = keySchema.field(k).type();
            if (type != ColumnType.INT32 && type != ColumnType.INT64 && type != ColumnType.UTF8) {
                throw new IllegalArgumentException("key column '" + keySchema.field(k).name() + "' has type=" + type
                    + "; keyed state supports INT32, INT64 and UTF8 keys");
            }
        }
        this.slots = new KeySlotIndex(keySchema);
    }

    /** Keys held. */
    public int size() {
        return slots.size();
    }

    /** One past the highest slot ever handed out: per-slot arrays need this length. */
    public int slotLimit() {
        return slots.slotLimit();
    }

    /**
     * Binds the index to the key columns {@code keyColumns} of {@code batch} (types must match the key schema) so
     * that {@link #find} and {@link #addLastFound} read rows of that batch.
     */
    public void bind(final Batch batch, final int[] keyColumns) {
        slots.bind(batch, keyColumns);
        final ColumnVector[] vectors = new ColumnVector[keyColumns.length];
        for (int k = 0; k < keyColumns.length; k++) {
            vectors[k] = batch.vector(keyColumns[k]);
        }
        bound = vectors;
    }

    /** Releases the references to the bound batch's vectors. */
    public void unbind() {
        slots.unbind();
        bound = null;
    }

    /** The slot of the key at {@code row} of the bound batch, or -1; throws if a key column is null there. */
    public int find(final int row) {
        for (final ColumnVector v : bound) {
            if (v.isNull(row)) {
                throw new IllegalArgumentException("key column '" + v.field().name() + "' is null at row " + row
                    + ": keyed state does not accept null keys");
            }
        }
        return slots.find(row);
    }

    /** Adds the key last passed to {@link #find} (which returned -1) and returns its new slot. */
    public int addLastFound() {
        return slots.addLastFound();
    }

    /** Forgets the key of {@code slot}; the slot may be handed out again. */
    public void remove(final int slot) {
        slots.remove(slot);
    }

    /** Forgets every key. */
    public void clear() {
        slots.clear();
    }
}
