package io.sluice.engine.stream.state;

import static io.sluice.engine.dataset.KeySlotIndex.mix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongBinaryOperator;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Keyed state of one INT64 value per INT64 key, held off-heap and updated in place: the primitive counterpart of
 * {@link KeyedStateStore} for counts, sums, minima, maxima. A batch costs O(rows): each row finds its key's slot (key,
 * state and update time in one cache line) and folds its value into the state with a {@link LongBinaryOperator}.
 *
 * <pre>
 * table: a power of two of 32-byte slots (two per 64-byte line, so a slot never spans lines), native order;
 * linear probing from mix(key), at most 2/3 full, backward-shift deletion (no tombstones):
 *   0: key   (INT64)
 *   8: state (INT64)
 *  16: last update batch time in ms
 *  24: 1 if the slot holds a key, 0 if free (the allocator hands out zeroed memory: a new table is all free)
 * </pre>
 *
 * <p>When the table outgrows the caches, each chunk of rows first touches its keys' home slots, so the cache misses
 * of many rows overlap. Keys idle for longer than a timeout are dropped by {@link #evictUpdatedBefore}. Implements
 * {@link Checkpointed}: the snapshot is one batch file ({@value #SNAPSHOT_FILE}) of (key, state, update time).
 * {@link #close()} frees every off-heap byte. Single-threaded; null keys and values are rejected.
 */
public final class LongKeyedState implements Checkpointed, AutoCloseable {
    /** The snapshot's file name inside the folder given to {@link #snapshot}. */
    public static final String SNAPSHOT_FILE = "long-state.sbf";
    /** Schema of the snapshot and of {@link #update}'s output: key, state, update time. */
    public static final Schema SNAPSHOT_SCHEMA = Schema.of(Field.notNull("key", ColumnType.INT64),
        Field.notNull("state", ColumnType.INT64), Field.notNull(KeyedStateStore.UPDATED_COLUMN, ColumnType.INT64));

    private static final int SLOT_SHIFT = 5;
    private static final int KEY = 0;
    private static final int STATE = 8;
    private static final int UPDATED = 16;
    private static final int HELD = 24;
    private static final int INITIAL_SLOTS = 1024;
    private static final int MAX_SLOTS = BufferAllocator.MAX_SIZE_CLASS >>> SLOT_SHIFT;
    /** Rows whose home slots are touched ahead of their update, in tables of at least {@link #PREFETCH_SLOTS} slots (1 MiB). */
    private static final int CHUNK = 64;
    private static final int PREFETCH_SLOTS = (1 << 20) >>> SLOT_SHIFT;
    private static final Schema OUTPUT = Schema.of(Field.notNull("key", ColumnType.INT64),
        Field.notNull("state", ColumnType.INT64));

    private final String name;
    private final BufferAllocator allocator;
    private final long zero;
    private OffHeapBuffer tableBuffer;
    private MutableDirectBuffer table;
    private int mask;
    private int size;
    private int growAt; // 2/3 of the slots: grow when size passes it
    /** At most the update time of every held key ({@link Long#MAX_VALUE} when empty): evictions before it find nothing. */
    private long oldestBound = Long.MAX_VALUE;
    private ExpiryLog log; // null until the first eviction
    private long touched; // where the look-ahead loads go, so the JIT keeps them
    private long lastBatchTime = Long.MIN_VALUE;
    private boolean closed;
    private boolean folding; // while a fold runs: its loop holds the table's address, the fold must not move or free it

    /**
     * An empty state named {@code name}; a key seen for the first time starts from {@code zero} (folded with its
     * first value like any other). The table comes from {@code allocator}.
     */
    public LongKeyedState(final String name, final BufferAllocator allocator, final long zero) {
        this.name = Objects.requireNonNull(name, "name");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.zero = zero;
        allocateTable(INITIAL_SLOTS);
    }

    @Override
    public String checkpointName() {
        return name;
    }

    /** Keys held. */
    public int size() {
        checkOpen();
        return size;
    }

    /** Slots of the table (a power of two, at most 2/3 held): for tests and inspection. */
    public int capacity() {
        checkOpen();
        return mask + 1;
    }

    /** The batch time of the last {@link #update} or restored snapshot ({@link Long#MIN_VALUE} before either). */
    public long lastBatchTime() {
        checkOpen();
        return lastBatchTime;
    }

    /** Schema of the batches {@link #update} returns: the row's key and its state after the row. */
    public static Schema outputSchema() {
        return OUTPUT;
    }

    /**
     * Folds every row of {@code input} into the state, in row order: {@code state = fold(state, value)} with the key in
     * INT64 column {@code keyColumn}, the value in INT64 column {@code valueColumn}. Returns a new batch (the caller
     * releases it) of each row's key and its state after that row. {@code batchTimeMillis} must be after the last
     * update's and becomes the update time of every key in the batch. Changed in place: if {@code fold} throws, the
     * rows before stay applied, its row leaves no trace (recover by restoring the last snapshot and replaying).
     */
    public Batch update(final long batchTimeMillis, final Batch input, final int keyColumn, final int valueColumn,
                        final LongBinaryOperator fold) {
        return update(batchTimeMillis, List.of(input), keyColumn, valueColumn, fold).get(0);
    }

    /**
     * As {@link #update(long, Batch, int, int, LongBinaryOperator)} for a batch time's rows in several batches (a
     * dataset's partitions), folded in list order where they are; one output per input, in order (the caller releases
     * them). Every input is checked for nulls before any row is folded.
     */
    public List<Batch> update(final long batchTimeMillis, final List<Batch> inputs, final int keyColumn,
                              final int valueColumn, final LongBinaryOperator fold) {
        checkOpen();
        checkNotFolding("changed");
        Objects.requireNonNull(fold, "fold");
        LongStateBatches.checkInputs(label(), batchTimeMillis, lastBatchTime, inputs, keyColumn, valueColumn);
        final List<Batch> outputs = new ArrayList<>(inputs.size());
        folding = true;
        try {
            // A failure releases the outputs built so far.
            Batch.releaseAllIfThrows(outputs, () -> {
                for (final Batch input : inputs) {
                    final DirectBuffer values = input.int64Vector(valueColumn).dataBuffer();
                    outputs.add(LongStateBatches.output(allocator, input, keyColumn, (keys, states) ->
                        foldRows(keys, values, input.rowCount(), batchTimeMillis, fold, states)));
                }
            });
        } finally {
            folding = false;
            // Rows already folded carry this time, so a later update must come after it even if fold threw.
            lastBatchTime = batchTimeMillis;
        }
        return outputs;
    }

    /**
     * Folds {@code rows} (key, value) pairs read from the two column buffers; row r's new state goes to {@code states}
     * at byte 8r. The loop reads and writes memory by address: the three columns' ranges are checked once here, and a
     * table offset is {@code (pos & mask) * 32} plus a field under 32, inside the table by construction (the table and
     * its address are reloaded after an insert, which may grow it).
     */
    private void foldRows(final DirectBuffer keys, final DirectBuffer values, final int rows, final long time,
                          final LongBinaryOperator fold, final MutableDirectBuffer states) {
        final long bytes = (long) rows << 3;
        if (keys.capacity() < bytes || values.capacity() < bytes || states.capacity() < bytes) {
            throw new IndexOutOfBoundsException(label() + ": rows=" + rows + " exceed a column of keys=" + keys.capacity()
                + " values=" + values.capacity() + " states=" + states.capacity() + " bytes");
        }
        final long k = keys.addressOffset();
        final long v = values.addressOffset();
        final long out = states.addressOffset();
        long t = tableBuffer.address();
        int m = mask;
        final ExpiryLog expiry = log;
        for (int from = 0; from < rows; from += CHUNK) {
            final int to = Math.min(rows, from + CHUNK);
            if (m >= PREFETCH_SLOTS) {
                touched += touchHomes(k, from, to, t, m);
            }
            for (int r = from; r < to; r++) {
                final long key = UnsafeApi.getLong(k + ((long) r << 3));
                long at;
                final long state;
                for (int pos = (int) mix(key) & m; ; pos = (pos + 1) & m) {
                    at = t + ((long) pos << SLOT_SHIFT);
                    if (UnsafeApi.getLong(at + HELD) == 0) {
                        // fold first: if it throws, no key is entered
                        state = fold.applyAsLong(zero, UnsafeApi.getLong(v + ((long) r << 3)));
                        final int entered = insert(pos << SLOT_SHIFT, key, time);
                        t = tableBuffer.address();
                        m = mask;
                        at = t + entered;
                        break;
                    }
                    if (UnsafeApi.getLong(at + KEY) == key) {
                        state = fold.applyAsLong(UnsafeApi.getLong(at + STATE), UnsafeApi.getLong(v + ((long) r << 3)));
                        break;
                    }
                }
                if (expiry != null && UnsafeApi.getLong(at + UPDATED) != time) {
                    expiry.append(time, key);
                }
                UnsafeApi.putLong(at + STATE, state);
                UnsafeApi.putLong(at + UPDATED, time);
                UnsafeApi.putLong(out + ((long) r << 3), state);
            }
        }
    }

    /** Loads the home slot of each key of rows {@code [from, to)} at address {@code keys}: misses the CPU overlaps. */
    private static long touchHomes(final long keys, final int from, final int to, final long table, final int mask) {
        long sum = 0;
        for (int r = from; r < to; r++) {
            sum += UnsafeApi.getLong(table + ((mix(UnsafeApi.getLong(keys + ((long) r << 3))) & mask) << SLOT_SHIFT));
        }
        return sum;
    }

    /** The byte offset of {@code key}'s slot, inserted with the zero state (and the table grown) if it was not held. */
    private int slotFor(final long key, final long time) {
        final int at = find(key);
        return at >= 0 ? at : insert(-1 - at, key, time);
    }

    /** Enters {@code key} with the zero state into the free slot at byte {@code at}; returns its offset after any growth. */
    private int insert(final int at, final long key, final long time) {
        table.putLong(at + KEY, key);
        table.putLong(at + STATE, zero);
        table.putLong(at + UPDATED, Long.MIN_VALUE); // not yet updated: the first update logs the key
        table.putLong(at + HELD, 1);
        oldestBound = Math.min(oldestBound, time);
        if (++size > growAt) {
            grow();
            return find(key);
        }
        return at;
    }

    /** The byte offset of {@code key}'s slot, or if it is not held -1 minus the offset of the free slot it would take. */
    private int find(final long key) {
        for (int pos = (int) mix(key) & mask; ; pos = (pos + 1) & mask) {
            final int at = pos << SLOT_SHIFT;
            if (table.getLong(at + HELD) == 0) {
                return -1 - at;
            }
            if (table.getLong(at + KEY) == key) {
                return at;
            }
        }
    }

    /** The state of {@code key}, or {@code absent} if it is not held. */
    public long get(final long key, final long absent) {
        checkOpen();
        final int at = find(key);
        return at < 0 ? absent : table.getLong(at + STATE);
    }

    /**
     * Drops every key last updated before {@code cutoffMillis}; returns how many. From the first call on, updates log
     * each key once per batch time ({@link ExpiryLog}), so a call reads only the log entries older than the cutoff;
     * the table is swept (and the log rebuilt from it) on the first call and when the log outgrows twice the table.
     */
    public int evictUpdatedBefore(final long cutoffMillis) {
        checkOpen();
        checkNotFolding("changed");
        if (log == null || log.size() > 2 * (mask + 1)) {
            final int evicted = cutoffMillis <= oldestBound ? 0 : sweep(cutoffMillis);
            final long[][] held = gather(false);
            log = ExpiryLog.of(held[2], held[0], size);
            return evicted;
        }
        final int evicted = log.drainBefore(cutoffMillis, key -> {
            final int at = find(key);
            if (at >= 0 && table.getLong(at + UPDATED) < cutoffMillis) {
                deleteAt(at >>> SLOT_SHIFT);
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
        while (table.getLong((start << SLOT_SHIFT) + HELD) != 0) {
            start++;
        }
        int evicted = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 1; i <= mask + 1; ) {
            final int pos = (start + i) & mask;
            final int at = pos << SLOT_SHIFT;
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
        for (int next = (hole + 1) & mask; table.getLong((next << SLOT_SHIFT) + HELD) != 0; next = (next + 1) & mask) {
            final int home = (int) mix(table.getLong(next << SLOT_SHIFT)) & mask;
            // The entry at next may fill the hole when its home is not in (hole, next] cyclically.
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                table.putBytes(hole << SLOT_SHIFT, table, next << SLOT_SHIFT, 1 << SLOT_SHIFT);
                hole = next;
            }
        }
        table.setMemory(hole << SLOT_SHIFT, 1 << SLOT_SHIFT, (byte) 0);
        size--;
    }

    private void allocateTable(final int slots) {
        tableBuffer = allocator.allocate((long) slots << SLOT_SHIFT);
        table = tableBuffer.buffer();
        mask = slots - 1;
        growAt = (int) (slots * 2L / 3);
    }

    /** Doubles the table and re-inserts every held entry. */
    private void grow() {
        final int slots = (mask + 1) * 2;
        if (slots > MAX_SLOTS) {
            throw new IllegalStateException(label() + ": keys=" + size + " exceed the largest table of " + MAX_SLOTS
                + " slots (" + BufferAllocator.MAX_SIZE_CLASS + " bytes)");
        }
        final OffHeapBuffer oldBuffer = tableBuffer;
        final MutableDirectBuffer old = table;
        final int oldSlots = mask + 1;
        allocateTable(slots);
        for (int at = 0; at < oldSlots << SLOT_SHIFT; at += 1 << SLOT_SHIFT) {
            if (old.getLong(at + HELD) != 0) {
                int pos = (int) mix(old.getLong(at + KEY)) & mask;
                while (table.getLong((pos << SLOT_SHIFT) + HELD) != 0) {
                    pos = (pos + 1) & mask;
                }
                table.putBytes(pos << SLOT_SHIFT, old, at, 1 << SLOT_SHIFT);
            }
        }
        oldBuffer.release();
    }

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        Files.createDirectories(dir);
        final long[][] held = gather(true);
        StateSnapshots.write(allocator, dir.resolve(SNAPSHOT_FILE), SNAPSHOT_SCHEMA, held[0], held[1], held[2]);
    }

    /** Every held key, its state (if {@code states}, else an empty array) and update time, in slot order. */
    private long[][] gather(final boolean states) {
        final long[][] held = {new long[size], new long[states ? size : 0], new long[size]};
        int n = 0;
        for (int at = 0; at < (mask + 1) << SLOT_SHIFT; at += 1 << SLOT_SHIFT) {
            if (table.getLong(at + HELD) != 0) {
                held[0][n] = table.getLong(at + KEY);
                if (states) {
                    held[1][n] = table.getLong(at + STATE);
                }
                held[2][n++] = table.getLong(at + UPDATED);
            }
        }
        return held;
    }

    /** {@inheritDoc} A missing, corrupt or foreign file throws a {@link CheckpointException} and leaves the state empty. */
    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        checkNotFolding("changed");
        clear();
        final long[][] rows = StateSnapshots.readInt64(allocator, dir, SNAPSHOT_FILE, SNAPSHOT_SCHEMA, label());
        try {
            for (int r = 0; r < rows[0].length; r++) {
                final int held = size;
                final int at = slotFor(rows[0][r], rows[2][r]);
                if (size == held) {
                    throw new CheckpointException(dir, label() + ": snapshot file " + dir.resolve(SNAPSHOT_FILE)
                        + " holds key=" + rows[0][r] + " twice");
                }
                table.putLong(at + STATE, rows[1][r]);
                table.putLong(at + UPDATED, rows[2][r]);
            }
        } catch (final RuntimeException ex) {
            clear();
            throw ex;
        }
        lastBatchTime = batchTimeMillis;
    }

    /** Forgets every key; the table keeps its capacity. */
    private void clear() {
        table.setMemory(0, tableBuffer.capacity(), (byte) 0);
        log = null;
        size = 0;
        oldestBound = Long.MAX_VALUE;
        lastBatchTime = Long.MIN_VALUE;
    }

    private String label() {
        return "long state '" + name + "'";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(label() + " is closed");
        }
    }

    private void checkNotFolding(final String what) {
        if (folding) {
            throw new IllegalStateException(label() + " cannot be " + what + " from inside its own fold function");
        }
    }

    /** Frees the table; idempotent. Throws {@link IllegalStateException} if called from inside its fold function. */
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
