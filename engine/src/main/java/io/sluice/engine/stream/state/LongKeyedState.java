package io.sluice.engine.stream.state;

import static io.sluice.engine.dataset.KeySlotIndex.mix;

import java.io.IOException;
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
import io.sluice.memory.Schema;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Keyed state of one INT64 value per INT64 key, held off-heap and updated in place: the primitive counterpart of
 * {@link KeyedStateStore} for counts, sums, minima, maxima ({@link LongColumnsState} holds several values per key). A
 * batch costs O(rows): each row finds its key's slot (key, state and update time in 32 bytes of a
 * {@link LongStateTable}) and folds its value into the state with a {@link LongBinaryOperator}.
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
    public static final Schema SNAPSHOT_SCHEMA = LongStateTable.snapshotSchema(List.of("state"));

    private static final int STATE = LongStateTable.STATE;
    private static final int UPDATED = LongStateTable.UPDATED;
    private static final int HELD = LongStateTable.HELD;
    private static final int KEY = LongStateTable.KEY;
    /** Rows whose home slots are touched ahead of their update, once the table outgrows the caches. */
    private static final int CHUNK = 64;
    private static final Schema OUTPUT = Schema.of(Field.notNull("key", ColumnType.INT64),
        Field.notNull("state", ColumnType.INT64));

    private final String name;
    private final BufferAllocator allocator;
    private final long zero;
    private final LongStateTable table;
    private long touched; // where the look-ahead loads go, so the JIT keeps them

    /**
     * An empty state named {@code name}; a key seen for the first time starts from {@code zero} (folded with its
     * first value like any other). The table comes from {@code allocator}.
     */
    public LongKeyedState(final String name, final BufferAllocator allocator, final long zero) {
        this.name = Objects.requireNonNull(name, "name");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.zero = zero;
        this.table = new LongStateTable("long state '" + name + "'", allocator, zero);
    }

    @Override
    public String checkpointName() {
        return name;
    }

    /** Keys held. */
    public int size() {
        return table.size();
    }

    /** Slots of the table (a power of two, at most 2/3 held): for tests and inspection. */
    public int capacity() {
        return table.capacity();
    }

    /** The batch time of the last {@link #update} or restored snapshot ({@link Long#MIN_VALUE} before either). */
    public long lastBatchTime() {
        return table.lastBatchTime();
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
        Objects.requireNonNull(fold, "fold");
        table.checkUpdate(batchTimeMillis);
        LongStateBatches.checkInputs(table.label(), inputs, keyColumn, valueColumn);
        final List<Batch> outputs = new ArrayList<>(inputs.size());
        table.beginUpdate(batchTimeMillis);
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
            table.endUpdate(batchTimeMillis);
        }
        return outputs;
    }

    /**
     * Folds {@code rows} (key, value) pairs read from the two column buffers; row r's new state goes to {@code states}
     * at byte 8r. The loop reads and writes memory by address: the three columns' ranges are checked once here, and a
     * table offset is {@code (pos & mask) << shift} plus a field under the slot size, inside the table by construction
     * (the table and its address are reloaded after an insert, which may grow it).
     */
    private void foldRows(final DirectBuffer keys, final DirectBuffer values, final int rows, final long time,
                          final LongBinaryOperator fold, final MutableDirectBuffer states) {
        LongStateBatches.checkRows(table.label(), rows, keys, values, states);
        final long k = keys.addressOffset();
        final long v = values.addressOffset();
        final long out = states.addressOffset();
        final int shift = table.shift();
        long t = table.address();
        int m = table.mask();
        final ExpiryLog expiry = table.log();
        for (int from = 0; from < rows; from += CHUNK) {
            final int to = Math.min(rows, from + CHUNK);
            if (LongStateTable.prefetch(m, shift)) {
                touched += LongStateTable.touchHomes(k, from, to, t, m, shift);
            }
            for (int r = from; r < to; r++) {
                final long key = UnsafeApi.getLong(k + ((long) r << 3));
                long at;
                final long state;
                for (int pos = (int) mix(key) & m; ; pos = (pos + 1) & m) {
                    at = t + ((long) pos << shift);
                    if (UnsafeApi.getLong(at + HELD) == 0) {
                        // fold first: if it throws, no key is entered
                        state = fold.applyAsLong(zero, UnsafeApi.getLong(v + ((long) r << 3)));
                        final int entered = table.insert(pos << shift, key, time);
                        t = table.address();
                        m = table.mask();
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

    /** The state of {@code key}, or {@code absent} if it is not held. */
    public long get(final long key, final long absent) {
        table.checkOpen();
        final int at = table.find(key);
        return at < 0 ? absent : table.state(at, 0);
    }

    /**
     * Drops every key last updated before {@code cutoffMillis}; returns how many. From the first call on, updates log
     * each key once per batch time ({@link ExpiryLog}), so a call reads only the log entries older than the cutoff;
     * the table is swept (and the log rebuilt from it) on the first call and when the log outgrows twice the table.
     */
    public int evictUpdatedBefore(final long cutoffMillis) {
        return table.evictUpdatedBefore(cutoffMillis);
    }

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        table.snapshot(dir.resolve(SNAPSHOT_FILE), SNAPSHOT_SCHEMA);
    }

    /** {@inheritDoc} A missing, corrupt or foreign file throws a {@link CheckpointException} and leaves the state empty. */
    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        table.restore(batchTimeMillis, dir, SNAPSHOT_FILE, SNAPSHOT_SCHEMA);
    }

    /** Frees the table; idempotent. Throws {@link IllegalStateException} if called from inside its fold function. */
    @Override
    public void close() {
        table.close();
    }
}
