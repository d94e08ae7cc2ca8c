package io.sluice.engine.stream.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * Keyed state held off-heap: one row per key in a columnar {@link Batch} of key columns, state columns and the
 * batch time the key was last updated ({@value #UPDATED_COLUMN}), indexed by a {@link KeyIndex}.
 *
 * <p>One {@link StateUpdate} per batch time ({@link #begin(long)}), whose commit builds the new state batch and
 * releases the old one. Null keys are rejected. Implements {@link Checkpointed}: the snapshot is one batch file
 * ({@value #SNAPSHOT_FILE}); restoring a corrupt, foreign or missing one throws a {@link CheckpointException} naming
 * the file. {@link #close()} frees every off-heap byte. Single-threaded.
 */
public final class KeyedStateStore implements Checkpointed, AutoCloseable {
    /** Name of the column holding the batch time (ms) at which a key's state was last updated. */
    public static final String UPDATED_COLUMN = "_updated_ms";
    /** The snapshot's file name inside the folder given to {@link #snapshot}. */
    public static final String SNAPSHOT_FILE = "state" + BatchFolderDescriptor.EXTENSION;

    static final long NO_TIME = Long.MIN_VALUE;

    private final String name;
    private final BufferAllocator allocator;
    private final Schema keySchema;
    private final Schema stateSchema;
    private final Schema storeSchema;
    private final int keyCount;
    private final int updatedColumn;
    private final int[] stateKeyColumns;
    private final KeyIndex index;
    private final StateUpdate update;
    // Package-private for StateUpdate: the state batch, its row -> slot and slot -> row maps.
    Batch current;
    int[] rowSlot = new int[16];
    int[] slotRow = new int[16];
    private long lastBatchTime = NO_TIME;
    private long restoredBatchTime = NO_TIME;
    private boolean closed;

    /**
     * An empty store named {@code name} (its {@link #checkpointName()}) for keys of {@code keySchema} (INT32, INT64
     * or UTF8 columns; stored not-null) and state rows of {@code stateSchema}; buffers come from {@code allocator}.
     */
    public KeyedStateStore(final String name, final BufferAllocator allocator, final Schema keySchema, final Schema stateSchema) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("state store name must not be empty");
        }
        this.name = name;
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.index = new KeyIndex(Objects.requireNonNull(keySchema, "keySchema"));
        this.keySchema = keySchema;
        this.stateSchema = Objects.requireNonNull(stateSchema, "stateSchema");
        this.keyCount = keySchema.fieldCount();
        final List<Field> fields = new ArrayList<>();
        for (final Field key : keySchema.fields()) {
            fields.add(Field.notNull(key.name(), key.type()));
        }
        for (final Field state : stateSchema.fields()) {
            if (keySchema.contains(state.name()) || UPDATED_COLUMN.equals(state.name())) {
                throw new IllegalArgumentException("state column '" + state.name() + "' clashes with a key column or '"
                    + UPDATED_COLUMN + "': key schema " + keySchema);
            }
            fields.add(state);
        }
        fields.add(Field.notNull(UPDATED_COLUMN, ColumnType.INT64));
        this.storeSchema = new Schema(fields);
        this.updatedColumn = fields.size() - 1;
        this.stateKeyColumns = new int[keyCount];
        for (int k = 0; k < keyCount; k++) {
            stateKeyColumns[k] = k;
        }
        this.update = new StateUpdate(this, index, keyCount, updatedColumn);
        this.current = BatchBuilder.empty(allocator, storeSchema);
    }

    @Override
    public String checkpointName() {
        return name;
    }

    /** Key columns as given (stored not-null). */
    public Schema keySchema() {
        return keySchema;
    }

    public Schema stateSchema() {
        return stateSchema;
    }

    /** Key columns, state columns, then {@value #UPDATED_COLUMN} (INT64). */
    public Schema storeSchema() {
        return storeSchema;
    }

    /** Keys held (as of the last commit). */
    public int size() {
        checkOpen();
        return current.rowCount();
    }

    /**
     * The current state rows in {@link #storeSchema()}; owned by the store and released by the next commit, restore
     * or close: {@link Batch#retain()} it to keep it.
     */
    public Batch state() {
        checkOpen();
        return current;
    }

    /** Key columns then state columns (the store schema without the update time): the schema of {@link #keysAndState()}. */
    Schema keysAndStateSchema() {
        return new Schema(storeSchema.fields().subList(0, updatedColumn));
    }

    /** A new batch of the key and state columns of every key (without the update time); the caller releases it. */
    public Batch keysAndState() {
        checkOpen();
        final Schema schema = keysAndStateSchema();
        try (BatchBuilder out = new BatchBuilder(allocator, schema, current.rowCount())) {
            for (int c = 0; c < updatedColumn; c++) {
                out.appendColumn(c, current.vector(c));
            }
            return out.build();
        }
    }

    /** The batch time of the last committed update, or {@link Long#MIN_VALUE}. */
    public long lastBatchTime() {
        return lastBatchTime;
    }

    /** The batch time of the restored snapshot, or {@link Long#MIN_VALUE}: operators skip batch times at or before it. */
    public long restoredBatchTime() {
        return restoredBatchTime;
    }

    // ---- the per-batch update ----------------------------------------------------------------------------------

    /**
     * Starts the update of batch time {@code batchTimeMillis}, which must be after the last committed one; at most
     * one update is open at a time. The returned object is reused by the next update.
     */
    public StateUpdate begin(final long batchTimeMillis) {
        checkOpen();
        if (update.isOpen()) {
            throw new IllegalStateException(label() + ": update of batchTime=" + update.batchTimeMillis() + " still open");
        }
        if (batchTimeMillis == NO_TIME || batchTimeMillis <= lastBatchTime) {
            throw new IllegalArgumentException(label() + ": batchTime=" + batchTimeMillis + " must be after the last batchTime="
                + lastBatchTime);
        }
        update.open(batchTimeMillis);
        return update;
    }

    /** Replaces the state batch after a commit: {@code next} with slots {@code nextRowSlot[0, rows)}; returns the retired row map. */
    int[] install(final Batch next, final int[] nextRowSlot, final int rows, final long batchTimeMillis) {
        final int[] retired = rowSlot;
        current.release();
        current = next;
        rowSlot = nextRowSlot;
        for (int r = 0; r < rows; r++) {
            slotRow[rowSlot[r]] = r;
        }
        lastBatchTime = batchTimeMillis;
        return retired;
    }

    void ensureSlots(final int limit) {
        if (limit > slotRow.length) {
            slotRow = Arrays.copyOf(slotRow, Math.max(limit, slotRow.length * 2));
        }
    }

    BufferAllocator allocator() {
        return allocator;
    }

    String label() {
        return "state '" + name + "'";
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(label() + " is closed");
        }
    }

    /** The update-time vector of the current state; for the timeout scan of {@link MapWithState}. */
    Int64Vector updatedVector() {
        return current.int64Vector(updatedColumn);
    }

    // ---- checkpoint ---------------------------------------------------------------------------------------------

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        if (update.isOpen()) {
            throw new IllegalStateException(label() + ": cannot snapshot while the update of batchTime="
                + update.batchTimeMillis() + " is open");
        }
        Files.createDirectories(dir);
        try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve(SNAPSHOT_FILE), storeSchema)) {
            writer.write(current);
        }
    }

    /**
     * {@inheritDoc} The file is validated (CRCs, schema, no duplicate key); on any problem a
     * {@link CheckpointException} names the file and the store is left empty.
     */
    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        if (update.isOpen()) {
            throw new IllegalStateException(label() + ": cannot restore while the update of batchTime="
                + update.batchTimeMillis() + " is open");
        }
        final Path file = dir.resolve(SNAPSHOT_FILE);
        final Batch restored = BatchBuilder.concatAndRelease(allocator, storeSchema,
            StateSnapshots.read(allocator, dir, SNAPSHOT_FILE, storeSchema, label()));
        try {
            rebuildIndex(restored, file, dir);
        } catch (final RuntimeException ex) {
            restored.release();
            index.clear();
            current.release();
            current = BatchBuilder.empty(allocator, storeSchema);
            throw ex;
        }
        current.release();
        current = restored;
        lastBatchTime = batchTimeMillis;
        restoredBatchTime = batchTimeMillis;
    }

    private void rebuildIndex(final Batch restored, final Path file, final Path dir) {
        index.clear();
        final int rows = restored.rowCount();
        rowSlot = new int[Math.max(16, rows)];
        index.bind(restored, stateKeyColumns);
        try {
            for (int r = 0; r < rows; r++) {
                if (index.find(r) >= 0) {
                    throw new CheckpointException(dir, "state '" + name + "': snapshot file " + file
                        + " holds a duplicate key at row " + r);
                }
                final int slot = index.addLastFound();
                update.ensureSlots(index.slotLimit());
                slotRow[slot] = r;
                rowSlot[r] = slot;
            }
        } finally {
            index.unbind();
        }
    }

    /** Frees the state batch; idempotent. The store cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        update.abort();
        closed = true;
        current.release();
        current = null;
        index.clear();
    }

    @Override
    public String toString() {
        return "KeyedStateStore[name=" + name + " keys=" + (closed ? "closed" : String.valueOf(current.rowCount()))
            + " schema=" + storeSchema + "]";
    }
}
