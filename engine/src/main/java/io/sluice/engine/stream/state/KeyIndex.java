package io.sluice.engine.stream.state;

import java.util.Arrays;

import io.sluice.engine.dataset.KeyEncoder;
import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * Maps the keys of a keyed state to stable slot numbers. One INT32 or INT64 key column uses an Agrona
 * {@link Long2LongHashMap}; any other key (several columns, UTF8) an {@link Object2IntHashMap} over the bytes of
 * {@link KeyEncoder}. Probing allocates nothing; adding a non-numeric key copies its encoded bytes once. Freed
 * slots are reused. Null keys are rejected. Single-threaded. Internal: public for the event-time window state of
 * {@code io.sluice.engine.stream.eventtime}.
 */
public final class KeyIndex {
    private static final int MISSING = -1;

    private final Schema keySchema;
    private final Long2LongHashMap numeric;
    private final Object2IntHashMap<KeyEncoder.Key> encoded;
    private KeyEncoder.Key[] slotKeys;
    private long[] slotLongs;
    private int[] free = new int[16];
    private int freeCount;
    private int highWater;
    private int size;

    private ColumnVector[] bound;
    private int[] boundColumns;
    private KeyEncoder encoder;
    private KeyEncoder.Key lastProbe;
    private long lastLong;

    /** An index over keys of {@code keySchema}: INT32, INT64 or UTF8 columns. */
    public KeyIndex(final Schema keySchema) {
        for (int k = 0; k < keySchema.fieldCount(); k++) {
            final ColumnType type = keySchema.field(k).type();
            if (type != ColumnType.INT32 && type != ColumnType.INT64 && type != ColumnType.UTF8) {
                throw new IllegalArgumentException("key column '" + keySchema.field(k).name() + "' has type=" + type
                    + "; keyed state supports INT32, INT64 and UTF8 keys");
            }
        }
        this.keySchema = keySchema;
        final boolean single = keySchema.fieldCount() == 1 && keySchema.field(0).type() != ColumnType.UTF8;
        this.numeric = single ? new Long2LongHashMap(MISSING) : null;
        this.encoded = single ? null : new Object2IntHashMap<>(MISSING);
        this.slotKeys = single ? null : new KeyEncoder.Key[16];
        this.slotLongs = single ? new long[16] : null;
    }

    /** Keys held. */
    public int size() {
        return size;
    }

    /** One past the highest slot ever handed out: per-slot arrays need this length. */
    public int slotLimit() {
        return highWater;
    }

    /**
     * Binds the index to the key columns {@code keyColumns} of {@code batch} (types must match the key schema) so
     * that {@link #find} and {@link #add} read rows of that batch.
     */
    public void bind(final Batch batch, final int[] keyColumns) {
        if (keyColumns.length != keySchema.fieldCount()) {
            throw new IllegalArgumentException("keyColumns length=" + keyColumns.length + " but the key schema has "
                + keySchema.fieldCount() + " fields " + keySchema);
        }
        final ColumnVector[] vectors = new ColumnVector[keyColumns.length];
        for (int k = 0; k < keyColumns.length; k++) {
            vectors[k] = batch.vector(keyColumns[k]);
            if (vectors[k].type() != keySchema.field(k).type()) {
                throw new IllegalArgumentException("key column '" + vectors[k].field().name() + "' index=" + keyColumns[k]
                    + " has type=" + vectors[k].type() + " but key '" + keySchema.field(k).name() + "' is "
                    + keySchema.field(k).type());
            }
        }
        bound = vectors;
        if (encoded != null) {
            if (encoder == null || !Arrays.equals(boundColumns, keyColumns)) {
                encoder = new KeyEncoder(keyColumns.clone());
                boundColumns = keyColumns.clone();
            }
            encoder.reset(batch);
        }
    }

    /** Releases the references to the bound batch's vectors. */
    public void unbind() {
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
        if (numeric != null) {
            final ColumnVector v = bound[0];
            lastLong = v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
            return (int) numeric.get(lastLong);
        }
        lastProbe = encoder.encode(row);
        return encoded.getValue(lastProbe);
    }

    /** Adds the key last passed to {@link #find} (which returned -1) and returns its new slot. */
    public int addLastFound() {
        final int slot = freeCount > 0 ? free[--freeCount] : highWater++;
        if (numeric != null) {
            if (slot >= slotLongs.length) {
                slotLongs = Arrays.copyOf(slotLongs, slotLongs.length * 2);
            }
            slotLongs[slot] = lastLong;
            numeric.put(lastLong, slot);
        } else {
            if (slot >= slotKeys.length) {
                slotKeys = Arrays.copyOf(slotKeys, slotKeys.length * 2);
            }
            final KeyEncoder.Key copy = lastProbe.copy();
            slotKeys[slot] = copy;
            encoded.put(copy, slot);
        }
        size++;
        return slot;
    }

    /** Forgets the key of {@code slot}; the slot may be handed out again. */
    public void remove(final int slot) {
        if (numeric != null) {
            numeric.remove(slotLongs[slot]);
        } else {
            encoded.removeKey(slotKeys[slot]);
            slotKeys[slot] = null;
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
    }

    /** Forgets every key. */
    public void clear() {
        if (numeric != null) {
            numeric.clear();
        } else {
            encoded.clear();
            Arrays.fill(slotKeys, null);
        }
        freeCount = 0;
        highWater = 0;
        size = 0;
    }
}
