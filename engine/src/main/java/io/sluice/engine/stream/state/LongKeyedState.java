package io.sluice.engine.stream.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongBinaryOperator;

import io.sluice.engine.dataset.KeySlotIndex;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.MutableDirectBuffer;

/**
 * Keyed state of one INT64 value per INT64 key, held off-heap and updated in place: the primitive counterpart of
 * {@link KeyedStateStore} for reducers such as counts, sums, minima and maxima. A batch costs O(rows): each row finds
 * its key's slot in the shared {@link KeySlotIndex} and folds its value into the slot's record with a
 * {@link LongBinaryOperator}; nothing is boxed and keys not in the batch are not touched.
 *
 * <pre>
 * record of slot s at byte 24 * s of the records buffer (native order):
 *   0: key   (INT64)
 *   8: last update batch time in ms, {@link Long#MIN_VALUE} for a free slot
 *  16: state (INT64)
 * </pre>
 *
 * <p>Keys idle for longer than a timeout are dropped by {@link #evictUpdatedBefore}. Implements
 * {@link Checkpointed}: the snapshot is one batch file ({@value #SNAPSHOT_FILE}) of (key, state, update time).
 * {@link #close()} frees every off-heap byte. Single-threaded; null keys and values are rejected.
 */
public final class LongKeyedState implements Checkpointed, AutoCloseable {
    /** The snapshot's file name inside the folder given to {@link #snapshot}. */
    public static final String SNAPSHOT_FILE = "long-state.sbf";
    /** Schema of the snapshot and of {@link #update}'s output: key, state, update time. */
    public static final Schema SNAPSHOT_SCHEMA = Schema.of(Field.notNull("key", ColumnType.INT64),
        Field.notNull("state", ColumnType.INT64), Field.notNull(KeyedStateStore.UPDATED_COLUMN, ColumnType.INT64));

    private static final int RECORD_BYTES = 24;
    private static final int KEY = 0;
    private static final int UPDATED = 8;
    private static final int STATE = 16;
    private static final long FREE = Long.MIN_VALUE;
    private static final int INITIAL_SLOTS = 1024;
    private static final Schema KEY_SCHEMA = Schema.of(Field.notNull("key", ColumnType.INT64));
    private static final Schema OUTPUT = Schema.of(Field.notNull("key", ColumnType.INT64),
        Field.notNull("state", ColumnType.INT64));

    private final String name;
    private final BufferAllocator allocator;
    private final long zero;
    private final KeySlotIndex index = new KeySlotIndex(KEY_SCHEMA);
    private OffHeapBuffer records;
    private long lastBatchTime = Long.MIN_VALUE;
    private boolean closed;

    /**
     * An empty state named {@code name}; a key seen for the first time starts from {@code zero} (folded with its
     * first value like any other). Records come from {@code allocator}.
     */
    public LongKeyedState(final String name, final BufferAllocator allocator, final long zero) {
        this.name = Objects.requireNonNull(name, "name");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.zero = zero;
        this.records = allocator.allocate((long) INITIAL_SLOTS * RECORD_BYTES);
    }

    @Override
    public String checkpointName() {
        return name;
    }

    /** Keys held. */
    public int size() {
        checkOpen();
        return index.size();
    }

    /**
     * The batch time of the last {@link #update}, or of the restored snapshot; {@link Long#MIN_VALUE} before either.
     * A stream replaying batch times at or before it after a restore skips them.
     */
    public long lastBatchTime() {
        checkOpen();
        return lastBatchTime;
    }

    /** Schema of the batches {@link #update} returns: the row's key and its state after the row. */
    public static Schema outputSchema() {
        return OUTPUT;
    }

    /**
     * Folds every row of {@code input} into the state, in row order: {@code state = fold(state, value)} with the key
     * in INT64 column {@code keyColumn} and the value in INT64 column {@code valueColumn}. Returns a new batch (the
     * caller releases it) of each row's key and its state after that row. {@code batchTimeMillis} must be after the
     * last update's; it becomes the update time of every key in the batch. The state is changed in place: if
     * {@code fold} throws, the rows before the failing one stay applied (recover by restoring the last snapshot and
     * replaying, as after a crash).
     */
    public Batch update(final long batchTimeMillis, final Batch input, final int keyColumn, final int valueColumn,
                        final LongBinaryOperator fold) {
        checkOpen();
        if (batchTimeMillis == Long.MIN_VALUE || batchTimeMillis <= lastBatchTime) {
            throw new IllegalArgumentException(label() + ": batchTime=" + batchTimeMillis + " must be after the last batchTime="
                + lastBatchTime);
        }
        final Int64Vector keys = input.int64Vector(keyColumn);
        final Int64Vector values = input.int64Vector(valueColumn);
        if (keys.field().isNullable() && keys.nullCount() > 0 || values.field().isNullable() && values.nullCount() > 0) {
            throw new IllegalArgumentException(label() + ": key column index=" + keyColumn + " and value column index="
                + valueColumn + " must not hold nulls");
        }
        final int rows = input.rowCount();
        final long[] outKeys = new long[rows];
        final long[] outStates = new long[rows];
        index.bind(input, new int[] {keyColumn});
        try {
            MutableDirectBuffer buffer = records.buffer();
            for (int r = 0; r < rows; r++) {
                int slot = index.find(r);
                final long key = keys.get(r);
                if (slot == KeySlotIndex.MISSING) {
                    slot = index.addLastFound();
                    ensureCapacity(index.slotLimit());
                    buffer = records.buffer();
                    buffer.putLong(slot * RECORD_BYTES + KEY, key);
                    buffer.putLong(slot * RECORD_BYTES + STATE, zero);
                }
                final int at = slot * RECORD_BYTES;
                final long state = fold.applyAsLong(buffer.getLong(at + STATE), values.get(r));
                buffer.putLong(at + STATE, state);
                buffer.putLong(at + UPDATED, batchTimeMillis);
                outKeys[r] = key;
                outStates[r] = state;
            }
        } finally {
            index.unbind();
        }
        lastBatchTime = batchTimeMillis;
        try (BatchBuilder out = new BatchBuilder(allocator, OUTPUT, Math.max(1, rows))) {
            out.appendInt64Column(0, outKeys);
            out.appendInt64Column(1, outStates);
            return out.build();
        }
    }

    /** The state of {@code key}, or {@code absent} if it is not held. O(keys held): for tests and inspection. */
    public long get(final long key, final long absent) {
        checkOpen();
        final MutableDirectBuffer buffer = records.buffer();
        for (int slot = 0; slot < index.slotLimit(); slot++) {
            final int at = slot * RECORD_BYTES;
            if (buffer.getLong(at + UPDATED) != FREE && buffer.getLong(at + KEY) == key) {
                return buffer.getLong(at + STATE);
            }
        }
        return absent;
    }

    /** Drops every key last updated before {@code cutoffMillis}; returns how many. One pass over the records. */
    public int evictUpdatedBefore(final long cutoffMillis) {
        checkOpen();
        final MutableDirectBuffer buffer = records.buffer();
        int evicted = 0;
        for (int slot = 0; slot < index.slotLimit(); slot++) {
            final int at = slot * RECORD_BYTES;
            final long updated = buffer.getLong(at + UPDATED);
            if (updated != FREE && updated < cutoffMillis) {
                index.remove(slot);
                buffer.putLong(at + UPDATED, FREE);
                evicted++;
            }
        }
        return evicted;
    }

    private void ensureCapacity(final int slots) {
        final long needed = (long) slots * RECORD_BYTES;
        if (needed <= records.capacity()) {
            return;
        }
        final OffHeapBuffer bigger = allocator.allocate(Math.max(needed, 2L * records.capacity()));
        bigger.buffer().putBytes(0, records.buffer(), 0, records.capacity());
        // Slots past the old capacity are free until handed out.
        for (long at = records.capacity(); at + RECORD_BYTES <= bigger.capacity(); at += RECORD_BYTES) {
            bigger.buffer().putLong((int) at + UPDATED, FREE);
        }
        records.release();
        records = bigger;
    }

    // ---- checkpoint ---------------------------------------------------------------------------------------------

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        Files.createDirectories(dir);
        final MutableDirectBuffer buffer = records.buffer();
        try (BatchBuilder out = new BatchBuilder(allocator, SNAPSHOT_SCHEMA, Math.max(1, index.size()))) {
            for (int slot = 0; slot < index.slotLimit(); slot++) {
                final int at = slot * RECORD_BYTES;
                final long updated = buffer.getLong(at + UPDATED);
                if (updated != FREE) {
                    out.setInt64(0, buffer.getLong(at + KEY)).setInt64(1, buffer.getLong(at + STATE))
                        .setInt64(2, updated).endRow();
                }
            }
            try (Batch batch = out.build();
                 BatchFileWriter writer = BatchFileWriter.create(dir.resolve(SNAPSHOT_FILE), SNAPSHOT_SCHEMA)) {
                writer.write(batch);
            }
        }
    }

    /** {@inheritDoc} A missing, corrupt or foreign file throws a {@link CheckpointException} and leaves the state empty. */
    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        clear();
        final Path file = dir.resolve(SNAPSHOT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir, label() + ": snapshot file " + file + " is missing");
        }
        final List<Batch> parts;
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(SNAPSHOT_SCHEMA)) {
                throw new CheckpointException(dir, label() + ": snapshot file " + file + " has schema=" + reader.schema()
                    + ", expected " + SNAPSHOT_SCHEMA);
            }
            parts = new ArrayList<>(reader.readAll(allocator));
        } catch (final BatchFileException ex) {
            throw new CheckpointException(dir, label() + ": corrupt snapshot file " + ex.file() + " at offset="
                + ex.offset() + ": " + ex.getMessage(), ex);
        }
        try {
            for (final Batch part : parts) {
                restorePart(part, file, dir);
            }
        } catch (final RuntimeException ex) {
            clear();
            throw ex;
        } finally {
            for (final Batch part : parts) {
                part.release();
            }
        }
        lastBatchTime = batchTimeMillis;
    }

    private void restorePart(final Batch part, final Path file, final Path dir) {
        final Int64Vector keys = part.int64Vector(0);
        final Int64Vector states = part.int64Vector(1);
        final Int64Vector updated = part.int64Vector(2);
        index.bind(part, new int[] {0});
        try {
            for (int r = 0; r < part.rowCount(); r++) {
                if (index.find(r) != KeySlotIndex.MISSING) {
                    throw new CheckpointException(dir, label() + ": snapshot file " + file + " holds key="
                        + keys.get(r) + " twice");
                }
                final int slot = index.addLastFound();
                ensureCapacity(index.slotLimit());
                final MutableDirectBuffer buffer = records.buffer();
                final int at = slot * RECORD_BYTES;
                buffer.putLong(at + KEY, keys.get(r));
                buffer.putLong(at + STATE, states.get(r));
                buffer.putLong(at + UPDATED, updated.get(r));
            }
        } finally {
            index.unbind();
        }
    }

    private void clear() {
        index.clear();
        final MutableDirectBuffer buffer = records.buffer();
        for (int at = 0; at + RECORD_BYTES <= records.capacity(); at += RECORD_BYTES) {
            buffer.putLong(at + UPDATED, FREE);
        }
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

    /** Frees the records; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            records.release();
            records = null;
        }
    }
}
