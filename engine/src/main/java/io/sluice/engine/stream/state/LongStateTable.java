package io.sluice.engine.stream.state;

import static io.sluice.engine.dataset.KeySlotIndex.mix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The off-heap table of the primitive keyed states ({@link LongKeyedState}, {@link LongColumnsState}): per INT64 key,
 * a fixed number of INT64 state columns and the batch time of its last update, in one slot; the guards every update
 * makes (open, not from inside the fold, batch times increasing); eviction of idle keys; the snapshot file.
 *
 * <pre>
 * table: a power of two of slots, each a power of two of bytes (32 for one state column, 64 for up to five, so a slot
 * never spans two 64-byte lines), native order; linear probing from mix(key), at most 2/3 full, backward-shift
 * deletion (no tombstones):
 *   0: key   (INT64)
 *   8: last update batch time in ms (Long.MIN_VALUE until the first update)
 *  16: 1 if the slot holds a key, 0 if free (the allocator hands out zeroed memory: a new table is all free)
 *  24 + 8i: state column i (INT64)
 * </pre>
 *
 * The hot loops of the states read and write slots by address ({@link #address()}, {@link #mask()},
 * {@link #shift()}): an offset {@code (pos & mask) << shift} plus a field under the slot size is inside the table by
 * construction; the address changes when {@link #insert} grows the table. Single-threaded.
 */
final class LongStateTable implements AutoCloseable {
    static final int KEY = 0;
    static final int UPDATED = 8;
    static final int HELD = 16;
    static final int STATE = 24;
    /** Most state columns a slot holds (a slot of 256 bytes). */
    static final int MAX_COLUMNS = 29;

    private static final int INITIAL_SLOTS = 1024;
    /** Tables of at least this many bytes (1 MiB) outgrow the caches: the loops touch a chunk's home slots first. */
    private static final int PREFETCH_BYTES = 1 << 20;

    private final String label;
    private final BufferAllocator allocator;
    private final long[] zeros;
    private final int shift;
    private final int maxSlots;
    private OffHeapBuffer tableBuffer;
    private MutableDirectBuffer table;
    private int mask;
    private int size;
    private int growAt; // 2/3 of the slots: grow when size passes it
    /** At most the update time of every held key ({@link Long#MAX_VALUE} when empty): evictions before it find nothing. */
    private long oldestBound = Long.MAX_VALUE;
    private ExpiryLog log; // null until the first eviction
    private long lastBatchTime = Long.MIN_VALUE;
    private boolean closed;
    private boolean folding; // while a fold runs: its loop holds the table's address, the fold must not move or free it

    /** An empty table named {@code label} in messages; a new key's state columns start at {@code zeros}. */
    LongStateTable(final String label, final BufferAllocator allocator, final long... zeros) {
        this.label = Objects.requireNonNull(label, "label");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        if (zeros.length < 1 || zeros.length > MAX_COLUMNS) {
            throw new IllegalArgumentException(label + ": state columns=" + zeros.length + " out of range [1, " + MAX_COLUMNS
                + "]");
        }
        this.zeros = zeros.clone();
        this.shift = 32 - Integer.numberOfLeadingZeros(STATE + 8 * zeros.length - 1);
        this.maxSlots = BufferAllocator.MAX_SIZE_CLASS >>> shift;
        allocateTable(INITIAL_SLOTS);
    }

    String label() {
        return label;
    }

    /** State columns per key. */
    int columns() {
        return zeros.length;
    }

    /** The schema of the snapshot file: key, the state columns named {@code stateNames}, the update time. */
    static Schema snapshotSchema(final List<String> stateNames) {
        final Field[] fields = new Field[stateNames.size() + 2];
        fields[0] = Field.notNull("key", ColumnType.INT64);
        for (int c = 0; c < stateNames.size(); c++) {
            fields[c + 1] = Field.notNull(stateNames.get(c), ColumnType.INT64);
        }
        fields[fields.length - 1] = Field.notNull(KeyedStateStore.UPDATED_COLUMN, ColumnType.INT64);
        return Schema.of(fields);
    }

    int size() {
        checkOpen();
        return size;
    }

    int capacity() {
        checkOpen();
        return mask + 1;
    }

    long lastBatchTime() {
        checkOpen();
        return lastBatchTime;
    }

    /** The table's address: valid until the next {@link #insert} (which may grow it) or {@link #close}. */
    long address() {
        return tableBuffer.address();
    }

    int mask() {
        return mask;
    }

    /** log2 of the slot size in bytes. */
    int shift() {
        return shift;
    }

    /** The eviction log, null until the first eviction: an update appends a key the first time a batch time updates it. */
    ExpiryLog log() {
        return log;
    }

    /**
     * Whether a table of {@code mask + 1} slots of {@code 1 << shift} bytes has outgrown the caches (the loops then
     * touch home slots ahead of their rows); static so a loop asks with the mask it holds.
     */
    static boolean prefetch(final int mask, final int shift) {
        return (long) (mask + 1) << shift >= PREFETCH_BYTES;
    }

    /** Throws unless the table is open, not inside a fold, and {@code batchTimeMillis} is after the last update's. */
    void checkUpdate(final long batchTimeMillis) {
        checkOpen();
        checkNotFolding("changed");
        if (batchTimeMillis == Long.MIN_VALUE || batchTimeMillis <= lastBatchTime) {
            throw new IllegalArgumentException(label + ": batchTime=" + batchTimeMillis + " must be after the last batchTime="
                + lastBatchTime);
        }
    }

    /**
     * Starts the update of batch time {@code batchTimeMillis} ({@link #checkUpdate} first): the fold loop runs until
     * {@link #endUpdate}, which must follow in a finally block.
     */
    void beginUpdate(final long batchTimeMillis) {
        checkUpdate(batchTimeMillis);
        folding = true;
    }

    /** Ends the update begun by {@link #beginUpdate}: rows already folded carry this time even if a fold threw. */
    void endUpdate(final long batchTimeMillis) {
        folding = false;
        lastBatchTime = batchTimeMillis;
    }

    /** Loads the home slot of each key of rows {@code [from, to)} at address {@code keys}: misses the CPU overlaps. */
    static long touchHomes(final long keys, final int from, final int to, final long table, final int mask, final int shift) {
        long sum = 0;
        for (int r = from; r < to; r++) {
            sum += UnsafeApi.getLong(table + ((mix(UnsafeApi.getLong(keys + ((long) r << 3))) & mask) << shift));
        }
        return sum;
    }

    /**
     * Enters {@code key} with the zero state into the free slot at byte {@code at} (found by {@link #find} or a probe
     * loop); returns its offset after any growth.
     */
    int insert(final int at, final long key, final long time) {
        table.putLong(at + KEY, key);
        table.putLong(at + UPDATED, Long.MIN_VALUE); // not yet updated: the first update logs the key
        table.putLong(at + HELD, 1);
        for (int c = 0; c < zeros.length; c++) {
            table.putLong(at + STATE + 8 * c, zeros[c]);
        }
        oldestBound = Math.min(oldestBound, time);
        if (++size > growAt) {
            grow();
            return find(key);
        }
        return at;
    }

    /** The byte offset of {@code key}'s slot, or if it is not held -1 minus the offset of the free slot it would take. */
    int find(final long key) {
        for (int pos = (int) mix(key) & mask; ; pos = (pos + 1) & mask) {
            final int at = pos << shift;
            if (table.getLong(at + HELD) == 0) {
                return -1 - at;
            }
            if (table.getLong(at + KEY) == key) {
                return at;
            }
        }
    }

    /** State column {@code column} of the slot at byte {@code at}. */
    long state(final int at, final int column) {
        return table.getLong(at + STATE + 8 * Objects.checkIndex(column, zeros.length));
    }

    /**
     * Drops every key last updated before {@code cutoffMillis}; returns how many. From the first call on, updates log
     * each key once per batch time ({@link ExpiryLog}), so a call reads only the log entries older than the cutoff;
     * the table is swept (and the log rebuilt from it) on the first call and when the log outgrows twice the table.
     */
    int evictUpdatedBefore(final long cutoffMillis) {
        checkOpen();
        checkNotFolding("changed");
        if (log == null || log.size() > 2 * (mask + 1)) {
            final int evicted = cutoffMillis <= oldestBound ? 0 : sweep(cutoffMillis);
            final long[][] held = gather(false);
            log = ExpiryLog.of(held[held.length - 1], held[0], size);
            return evicted;
        }
        final int evicted = log.drainBefore(cutoffMillis, key -> {
            final int at = find(key);
            if (at >= 0 && table.getLong(at + UPDATED) < cutoffMillis) {
                deleteAt(at >>> shift);
                return true;
            }
            return false;
        });
        oldestBound = log.oldestTime();
        return evicted;
    }

    /** One pass over the table dropping every key updated before {@code cutoffMillis}. */
    private int sweep(final long cutoffMillis) {
        // Start after a free slot: no probe run crosses the start, so a backward shift only moves entries to
        // positions this pass has not passed yet (re-examining the current one).
        int start = 0;
        while (table.getLong((start << shift) + HELD) != 0) {
            start++;
        }
        int evicted = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 1; i <= mask + 1; ) {
            final int pos = (start + i) & mask;
            final int at = pos << shift;
            if (table.getLong(at + HELD) == 0) {
                i++;
                continue;
            }
            final long updated = table.getLong(at + UPDATED);
            if (updated < cutoffMillis) {
                deleteAt(pos);
                evicted++;
            } else {
                oldest = Math.min(oldest, updated);
                i++;
            }
        }
        oldestBound = oldest;
        return evicted;
    }

    /** Empties the held slot at {@code pos}, pulling later entries of its probe run back so no tombstone is needed. */
    private void deleteAt(final int pos) {
        int hole = pos;
        for (int next = (hole + 1) & mask; table.getLong((next << shift) + HELD) != 0; next = (next + 1) & mask) {
            final int home = (int) mix(table.getLong(next << shift)) & mask;
            // The entry at next may fill the hole when its home is not in (hole, next] cyclically.
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                table.putBytes(hole << shift, table, next << shift, 1 << shift);
                hole = next;
            }
        }
        table.setMemory(hole << shift, 1 << shift, (byte) 0);
        size--;
    }

    private void allocateTable(final int slots) {
        tableBuffer = allocator.allocate((long) slots << shift);
        table = tableBuffer.buffer();
        mask = slots - 1;
        growAt = (int) (slots * 2L / 3);
    }

    /**
     * Doubles the table and re-inserts every held entry. By address: an old offset is below the old table's size, a
     * new one {@code (pos & mask) << shift}, each plus at most a slot.
     */
    private void grow() {
        final int slots = (mask + 1) * 2;
        if (slots > maxSlots) {
            throw new IllegalStateException(label + ": keys=" + size + " exceed the largest table of " + maxSlots
                + " slots (" + BufferAllocator.MAX_SIZE_CLASS + " bytes)");
        }
        final OffHeapBuffer oldBuffer = tableBuffer;
        final long old = oldBuffer.address();
        final long oldBytes = (long) (mask + 1) << shift;
        allocateTable(slots);
        final long to = tableBuffer.address();
        final int words = 1 << (shift - 3);
        for (long at = 0; at < oldBytes; at += 1 << shift) {
            if (UnsafeApi.getLong(old + at + HELD) != 0) {
                int pos = (int) mix(UnsafeApi.getLong(old + at + KEY)) & mask;
                while (UnsafeApi.getLong(to + ((long) pos << shift) + HELD) != 0) {
                    pos = (pos + 1) & mask;
                }
                final long slot = to + ((long) pos << shift);
                for (int w = 0; w < words; w++) {
                    UnsafeApi.putLong(slot + 8L * w, UnsafeApi.getLong(old + at + 8L * w));
                }
            }
        }
        oldBuffer.release();
    }

    /** Writes every held key, its state columns and update time as snapshot {@code file} of {@code schema}. */
    void snapshot(final Path file, final Schema schema) throws IOException {
        checkOpen();
        Files.createDirectories(file.getParent());
        StateSnapshots.write(allocator, file, schema, gather(true));
    }

    /** Every held key and its state columns, in slot order, as a batch of {@code schema} (the caller releases it). */
    Batch keysAndStates(final Schema schema) {
        checkOpen();
        final long[][] held = gather(true);
        try (BatchBuilder out = new BatchBuilder(allocator, schema, Math.max(1, size))) {
            for (int c = 0; c <= zeros.length; c++) {
                out.appendInt64Column(c, held[c]);
            }
            return out.build();
        }
    }

    /**
     * Every held key, then (if {@code states}) each state column, then the update times, in slot order: arrays of
     * {@code size} values.
     */
    private long[][] gather(final boolean states) {
        final int columns = states ? zeros.length : 0;
        final long[][] held = new long[columns + 2][size];
        int n = 0;
        for (int at = 0; at < (mask + 1) << shift; at += 1 << shift) {
            if (table.getLong(at + HELD) != 0) {
                held[0][n] = table.getLong(at + KEY);
                for (int c = 0; c < columns; c++) {
                    held[c + 1][n] = table.getLong(at + STATE + 8 * c);
                }
                held[columns + 1][n++] = table.getLong(at + UPDATED);
            }
        }
        return held;
    }

    /**
     * Replaces the state with snapshot file {@code fileName} of {@code schema} in {@code dir}, as of batch time
     * {@code batchTimeMillis}. A missing, corrupt or foreign file, or one holding a key twice, throws a
     * {@link CheckpointException} and leaves the table empty.
     */
    void restore(final long batchTimeMillis, final Path dir, final String fileName, final Schema schema) throws IOException {
        checkOpen();
        checkNotFolding("changed");
        clear();
        final long[][] rows = StateSnapshots.readInt64(allocator, dir, fileName, schema, label);
        try {
            final long[] keys = rows[0];
            final long[] updated = rows[rows.length - 1];
            for (int r = 0; r < keys.length; r++) {
                final int free = find(keys[r]);
                if (free >= 0) {
                    throw new CheckpointException(dir, label + ": snapshot file " + dir.resolve(fileName) + " holds key="
                        + keys[r] + " twice");
                }
                final int at = insert(-1 - free, keys[r], updated[r]);
                for (int c = 0; c < zeros.length; c++) {
                    table.putLong(at + STATE + 8 * c, rows[c + 1][r]);
                }
                table.putLong(at + UPDATED, updated[r]);
            }
        } catch (final RuntimeException ex) {
            clear();
            throw ex;
        }
        lastBatchTime = batchTimeMillis;
    }

    /** Forgets every key; the table keeps its capacity. */
    void clear() {
        table.setMemory(0, tableBuffer.capacity(), (byte) 0);
        log = null;
        size = 0;
        oldestBound = Long.MAX_VALUE;
        lastBatchTime = Long.MIN_VALUE;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(label + " is closed");
        }
    }

    void checkNotFolding(final String what) {
        if (folding) {
            throw new IllegalStateException(label + " cannot be " + what + " from inside its own fold function");
        }
    }

    /** Frees the table; idempotent. Throws {@link IllegalStateException} if called from inside a fold. */
    @Override
    public void close() {
        checkNotFolding("closed");
        if (!closed) {
            closed = true;
            tableBuffer.release();
            tableBuffer = null;
            table = null;
        }
    }
}
