package io.sluice.engine.dataset;

import java.util.Arrays;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Hashing;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * Maps keys read from the rows of batches to small, stable slot numbers: the one key index of hash aggregation and
 * keyed state. An open-addressing table (linear probing, backward-shift deletion, at most half full) of (hash,
 * slot) pairs over primitive per-slot arrays; no object per key or per row.
 *
 * <ul>
 *   <li>One INT32 or INT64 key column: the value itself, in a {@code long[]}.</li>
 *   <li>One UTF8 key column: hashed from the column's off-heap bytes and compared with them in place; a new key's
 *       bytes are copied once into an on-heap arena.</li>
 *   <li>Any other key (several columns, FLOAT64, BOOLEAN): the row's {@link KeyEncoder} bytes, encoded into one
 *       reused probe (nulls encode as a marker, so a null is an ordinary key here).</li>
 * </ul>
 *
 * <p>With a single-column key the row's key must not be null: callers give nulls their own slot or reject them.
 * Removed slots are handed out again; the arena is compacted when half of it is garbage. Single-threaded.
 */
public final class KeySlotIndex {
    /** Returned by {@link #find} for a key not held. */
    public static final int MISSING = -1;

    private static final int EMPTY = -1;
    private static final int INITIAL_SLOTS = 16;
    private static final int MIN_COMPACT_BYTES = 1 << 12;

    private enum Kind {
        INTEGRAL, UTF8, ENCODED
    }

    private final Schema keySchema;
    private final Kind kind;

    /**
     * Open-addressing table of (hash, slot) pairs: entry {@code p} is {@code table[2p]} (the key's 64-bit hash) and
     * {@code table[2p + 1]} (its slot, {@link #EMPTY} where free); a power of two entries. The hash beside the slot
     * lets a probe reject other keys without touching their slots: for an integral key, whose hash is a bijection of
     * the key, an equal hash is the match itself, so a probe reads one cache line.
     */
    private long[] table;
    private int mask;
    /** Per slot: the key's hash (all kinds; for an integral key it is the key, mixed) and its bytes' place in the arena. */
    private long[] slotHash;
    private int[] slotOffset;
    private int[] slotLength;
    private byte[] arena;
    private int arenaUsed;
    private int arenaGarbage;

    private int[] free = new int[INITIAL_SLOTS];
    private int freeCount;
    private int highWater;
    private int size;

    private ColumnVector[] bound;
    /** The bound key column of an INT64 key (null otherwise): read without a type test per row. */
    private Int64Vector boundLongs;
    private int[] boundColumns;
    private KeyEncoder encoder;
    private int lastRow = -1;
    private long lastHash;
    private long lastLong;
    private KeyEncoder.Key lastProbe;

    /** An index over keys of {@code keySchema} (at least one column). */
    public KeySlotIndex(final Schema keySchema) {
        if (keySchema.fieldCount() == 0) {
            throw new IllegalArgumentException("a key index needs at least one key column");
        }
        this.keySchema = keySchema;
        final ColumnType first = keySchema.field(0).type();
        if (keySchema.fieldCount() == 1 && (first == ColumnType.INT32 || first == ColumnType.INT64)) {
            kind = Kind.INTEGRAL;
        } else if (keySchema.fieldCount() == 1 && first == ColumnType.UTF8) {
            kind = Kind.UTF8;
        } else {
            kind = Kind.ENCODED;
        }
        table = new long[INITIAL_SLOTS * 4];
        Arrays.fill(table, EMPTY);
        mask = INITIAL_SLOTS * 2 - 1;
        slotHash = new long[INITIAL_SLOTS];
        if (kind != Kind.INTEGRAL) {
            slotOffset = new int[INITIAL_SLOTS];
            slotLength = new int[INITIAL_SLOTS];
            arena = new byte[INITIAL_SLOTS * 16];
        }
    }

    /** The key schema this index was made for. */
    public Schema keySchema() {
        return keySchema;
    }

    /** Whether the key is one column read directly (then its rows must not be null). */
    public boolean isSingleColumn() {
        return kind != Kind.ENCODED;
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
     * that {@link #find} and {@link #findOrAdd} read rows of that batch.
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
        boundLongs = kind == Kind.INTEGRAL && vectors[0].type() == ColumnType.INT64 ? (Int64Vector) vectors[0] : null;
        lastRow = -1;
        if (kind == Kind.ENCODED) {
            if (encoder == null || !Arrays.equals(boundColumns, keyColumns)) {
                encoder = new KeyEncoder(keyColumns.clone());
                boundColumns = keyColumns.clone();
            }
            encoder.reset(batch);
        }
    }

    /** Drops the references to the bound batch's vectors. */
    public void unbind() {
        bound = null;
        boundLongs = null;
        lastRow = -1;
    }

    /** The slot of the key at {@code row} of the bound batch, or {@link #MISSING}. */
    public int find(final int row) {
        lastRow = row;
        final long hash;
        switch (kind) {
            case INTEGRAL:
                lastLong = boundLongs != null ? boundLongs.get(row) : ((Int32Vector) bound[0]).get(row);
                hash = mix(lastLong);
                break;
            case UTF8:
                hash = ((Utf8Vector) bound[0]).hash(row);
                break;
            default:
                lastProbe = encoder.encode(row);
                hash = mix(lastProbe.hash);
                break;
        }
        lastHash = hash;
        final boolean integral = kind == Kind.INTEGRAL;
        for (int pos = (int) hash & mask; ; pos = (pos + 1) & mask) {
            final int slot = (int) table[2 * pos + 1];
            if (slot == EMPTY) {
                return MISSING;
            }
            if (table[2 * pos] == hash && (integral || matches(slot, row))) {
                return slot;
            }
        }
    }

    /** The slot of the key at {@code row}, added if it was not held. */
    public int findOrAdd(final int row) {
        final int slot = find(row);
        return slot != MISSING ? slot : addLastFound();
    }

    /** Adds the key last passed to {@link #find} (which returned {@link #MISSING}) and returns its new slot. */
    public int addLastFound() {
        if (lastRow < 0) {
            throw new IllegalStateException("addLastFound without a find on the bound batch");
        }
        final int slot = takeSlot(lastHash);
        if (kind == Kind.UTF8) {
            final Utf8Vector v = (Utf8Vector) bound[0];
            final int length = v.length(lastRow);
            final int at = reserve(length);
            v.getBytes(lastRow, arena, at);
            slotOffset[slot] = at;
            slotLength[slot] = length;
        } else if (kind == Kind.ENCODED) {
            final int at = reserve(lastProbe.length);
            System.arraycopy(lastProbe.bytes, 0, arena, at, lastProbe.length);
            slotOffset[slot] = at;
            slotLength[slot] = lastProbe.length;
        }
        lastRow = -1;
        return register(slot);
    }

    /**
     * The slot of the one-column UTF8 key {@code bytes[offset, offset + length)}, added if it was not held: keys
     * read from a heap copy, hashed as {@link Utf8Vector#hash} hashes the same bytes in a column (so both ways of
     * finding a key may be mixed in one index).
     */
    public int findOrAdd(final byte[] bytes, final int offset, final int length) {
        return findOrAdd(bytes, offset, length, Hashing.xxHash64(bytes, offset, length, 0L));
    }

    /**
     * As {@link #findOrAdd(byte[], int, int)} with the key's 64-bit {@code hash} computed by the caller (e.g. while
     * it scanned the bytes), by one function for every key of this index. An index whose keys are also found by
     * rows ({@link #find}) hashes them with xxHash64, so its callers must use the 3-argument form.
     */
    public int findOrAdd(final byte[] bytes, final int offset, final int length, final long hash) {
        if (kind != Kind.UTF8) {
            throw new IllegalStateException("byte keys need a one-column UTF8 key schema, not " + keySchema);
        }
        for (int pos = (int) hash & mask; ; pos = (pos + 1) & mask) {
            final int slot = (int) table[2 * pos + 1];
            if (slot == EMPTY) {
                break;
            }
            if (table[2 * pos] == hash && slotLength[slot] == length && arenaEquals(slotOffset[slot], bytes, offset, length)) {
                return slot;
            }
        }
        final int slot = takeSlot(hash);
        final int at = reserve(length);
        System.arraycopy(bytes, offset, arena, at, length);
        slotOffset[slot] = at;
        slotLength[slot] = length;
        return register(slot);
    }

    /** Whether {@code length} arena bytes from {@code at} equal the key's; short keys (most words) without the intrinsic's setup. */
    private boolean arenaEquals(final int at, final byte[] bytes, final int offset, final int length) {
        if (length >= 16) {
            return Arrays.equals(arena, at, at + length, bytes, offset, offset + length);
        }
        for (int i = 0; i < length; i++) {
            if (arena[at + i] != bytes[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the keys of slots {@code [0, slotLimit())} in slot order to UTF8 column {@code column} of {@code out},
     * in one copy; for a one-column UTF8 index from which no key was removed (so every slot below the limit is held).
     */
    public void appendUtf8Keys(final BatchBuilder out, final int column) {
        if (kind != Kind.UTF8 || size != highWater) {
            throw new IllegalStateException("appendUtf8Keys needs a UTF8 index without removed keys: " + keySchema
                + " size=" + size + " slotLimit=" + highWater);
        }
        // Without removals the arena was never compacted and slot i's bytes directly follow slot i - 1's.
        final int[] ends = new int[highWater];
        for (int slot = 0; slot < highWater; slot++) {
            ends[slot] = slotOffset[slot] + slotLength[slot];
        }
        out.appendUtf8Values(column, arena, ends, highWater);
    }

    private int takeSlot(final long hash) {
        final int slot = freeCount > 0 ? free[--freeCount] : newSlot();
        slotHash[slot] = hash;
        return slot;
    }

    /** Enters {@code slot}, whose hash and key bytes are set, into the table (growing it first if half full). */
    private int register(final int slot) {
        size++;
        if (size * 2 > mask + 1) {
            resize((mask + 1) * 2);
        }
        insert(slot);
        return slot;
    }

    /** Forgets the key of {@code slot} (which must be held); the slot may be handed out again. */
    public void remove(final int slot) {
        if (slot < 0 || slot >= highWater) {
            throw new IndexOutOfBoundsException("slot=" + slot + " out of range [0, " + highWater + ")");
        }
        int pos = (int) slotHash[slot] & mask;
        while (table[2 * pos + 1] != slot) {
            if (table[2 * pos + 1] == EMPTY) {
                throw new IllegalArgumentException("slot=" + slot + " is not held");
            }
            pos = (pos + 1) & mask;
        }
        // Backward-shift deletion: pull later entries of the probe run into the hole so no tombstone is needed.
        int hole = pos;
        for (int next = (hole + 1) & mask; table[2 * next + 1] != EMPTY; next = (next + 1) & mask) {
            final int home = (int) table[2 * next] & mask;
            // The entry at next may fill the hole when its home is not in (hole, next] cyclically.
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                table[2 * hole] = table[2 * next];
                table[2 * hole + 1] = table[2 * next + 1];
                hole = next;
            }
        }
        table[2 * hole + 1] = EMPTY;
        if (kind != Kind.INTEGRAL) {
            arenaGarbage += slotLength[slot];
            slotLength[slot] = 0;
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
        if (kind != Kind.INTEGRAL && arenaGarbage >= MIN_COMPACT_BYTES && arenaGarbage * 2 > arenaUsed) {
            compact();
        }
    }

    /** Forgets every key; the table keeps its capacity, so a cleared index may be reused without growing again. */
    public void clear() {
        if (freeCount == 0 && highWater * 8L <= mask + 1) {
            // Few keys in a large table (an index reused for a smaller input): empty only their entries. Without
            // removals every slot below highWater is held, so each slot's entry is found from its home position
            // by skipping what is already emptied.
            for (int slot = 0; slot < highWater; slot++) {
                int pos = (int) slotHash[slot] & mask;
                while (table[2 * pos + 1] != slot) {
                    pos = (pos + 1) & mask;
                }
                table[2 * pos + 1] = EMPTY;
            }
        } else {
            Arrays.fill(table, EMPTY);
        }
        freeCount = 0;
        highWater = 0;
        size = 0;
        arenaUsed = 0;
        arenaGarbage = 0;
        lastRow = -1;
    }

    /** Whether the non-integral key of {@code slot} equals the one at {@code row} (their hashes are equal). */
    private boolean matches(final int slot, final int row) {
        if (kind == Kind.UTF8) {
            return ((Utf8Vector) bound[0]).equalsBytes(row, arena, slotOffset[slot], slotLength[slot]);
        }
        return slotLength[slot] == lastProbe.length
            && Arrays.equals(arena, slotOffset[slot], slotOffset[slot] + lastProbe.length, lastProbe.bytes, 0, lastProbe.length);
    }

    private int newSlot() {
        final int slot = highWater++;
        if (slot == slotHash.length) {
            final int grown = slotHash.length * 2;
            slotHash = Arrays.copyOf(slotHash, grown);
            if (kind != Kind.INTEGRAL) {
                slotOffset = Arrays.copyOf(slotOffset, grown);
                slotLength = Arrays.copyOf(slotLength, grown);
            }
        }
        return slot;
    }

    private int reserve(final int length) {
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arenaUsed + length, arena.length * 2));
        }
        final int at = arenaUsed;
        arenaUsed += length;
        return at;
    }

    private void insert(final int slot) {
        final long hash = slotHash[slot];
        int pos = (int) hash & mask;
        while (table[2 * pos + 1] != EMPTY) {
            pos = (pos + 1) & mask;
        }
        table[2 * pos] = hash;
        table[2 * pos + 1] = slot;
    }

    private void resize(final int capacity) {
        final long[] old = table;
        table = new long[capacity * 2];
        Arrays.fill(table, EMPTY);
        mask = capacity - 1;
        for (int i = 1; i < old.length; i += 2) {
            if (old[i] != EMPTY) {
                insert((int) old[i]);
            }
        }
    }

    /** Moves the live keys' bytes to the front of a fresh arena. */
    private void compact() {
        final byte[] fresh = new byte[Math.max(INITIAL_SLOTS * 16, arenaUsed - arenaGarbage)];
        int used = 0;
        for (int i = 1; i < table.length; i += 2) {
            final int slot = (int) table[i];
            if (slot != EMPTY) {
                final int length = slotLength[slot];
                System.arraycopy(arena, slotOffset[slot], fresh, used, length);
                slotOffset[slot] = used;
                used += length;
            }
        }
        arena = fresh;
        arenaUsed = used;
        arenaGarbage = 0;
    }

    /**
     * Stafford's variant 13 of the MurmurHash3 finalizer: spreads keys that differ only in high bits. A bijection
     * (xor-shifts and odd multipliers are invertible), so two integral keys with equal hashes are equal.
     * Also the home-slot hash of the primitive keyed state's table.
     */
    public static long mix(final long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
