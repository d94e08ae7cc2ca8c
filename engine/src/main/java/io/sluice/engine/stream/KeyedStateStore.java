package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
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
 * <p>One update per batch time: {@link #begin(long)}, {@link #bind(Batch, int[])} the batch's rows,
 * {@link #slot(int)} per row, {@link #put}/{@link #remove}/{@link #touch} per slot, then {@link #commit()}, which
 * builds the new state batch (existing keys in their order, then new keys in order of first appearance) and
 * releases the old one; {@link #abort()} drops the update. Keys not changed keep their state and update time
 * (copied column by column). Null keys are rejected. Implements {@link Checkpointed}: the snapshot is one batch
 * file. {@link #close()} frees every off-heap byte. Single-threaded.
 */
public final class KeyedStateStore implements Checkpointed, AutoCloseable {
    /** Name of the column holding the batch time (ms) at which a key's state was last updated. */
    public static final String UPDATED_COLUMN = "_updated_ms";
    /** The snapshot's file name inside the folder given to {@link #snapshot}. */
    public static final String SNAPSHOT_FILE = "state.sbf";

    private static final byte KEEP = 0;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte TOUCH = 3;
    private static final long NO_TIME = Long.MIN_VALUE;

    private final String name;
    private final BufferAllocator allocator;
    private final Schema keySchema;
    private final Schema stateSchema;
    private final Schema storeSchema;
    private final int keyCount;
    private final int updatedColumn;
    private final int[] stateKeyColumns;
    private final KeyIndex index;
    private Batch current;
    private int[] rowSlot = new int[16];
    private int[] slotRow = new int[16];
    private long lastBatchTime = NO_TIME;
    private long restoredBatchTime = NO_TIME;
    private boolean closed;

    // The update in progress (updateTime != NO_TIME).
    private long updateTime = NO_TIME;
    private Batch input;
    private int[] inputKeyColumns;
    private byte[] action = new byte[16];
    private Object[][] pending = new Object[16][];
    private int[] changed = new int[16];
    private int changedCount;
    private int[] newSlots = new int[16];
    private int[] newSlotRow = new int[16];
    private int newSlotCount;

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
        this.current = Batches.empty(allocator, storeSchema);
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

    /** Keys held (before the update in progress commits). */
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

    /** A new batch of the key and state columns of every key (without the update time); the caller releases it. */
    public Batch keysAndState() {
        checkOpen();
        final Schema schema = new Schema(storeSchema.fields().subList(0, updatedColumn));
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

    /** Starts the update of batch time {@code batchTimeMillis}, which must be after the last committed one. */
    public void begin(final long batchTimeMillis) {
        checkOpen();
        if (updateTime != NO_TIME) {
            throw new IllegalStateException("state '" + name + "': update of batchTime=" + updateTime + " still open");
        }
        if (batchTimeMillis == NO_TIME || batchTimeMillis <= lastBatchTime) {
            throw new IllegalArgumentException("state '" + name + "': batchTime=" + batchTimeMillis
                + " must be after the last batchTime=" + lastBatchTime);
        }
        updateTime = batchTimeMillis;
        ensureSlots(index.slotLimit());
    }

    /**
     * Binds the update to {@code batch}, whose columns {@code keyColumns} hold the keys (types as in the key
     * schema); the batch must stay retained until commit or abort. At most one batch per update.
     */
    public void bind(final Batch batch, final int[] keyColumns) {
        checkUpdating();
        if (input != null) {
            throw new IllegalStateException("state '" + name + "': a batch is already bound to the update of batchTime="
                + updateTime);
        }
        index.bind(batch, keyColumns);
        input = batch;
        inputKeyColumns = keyColumns.clone();
    }

    /** The slot of the key at {@code row} of the bound batch, adding the key (without state) if it is new. */
    public int slot(final int row) {
        checkUpdating();
        if (input == null) {
            throw new IllegalStateException("state '" + name + "': no batch bound to the update of batchTime=" + updateTime);
        }
        if (row < 0 || row >= input.rowCount()) {
            throw new IndexOutOfBoundsException("row=" + row + " out of range [0, " + input.rowCount() + ")");
        }
        final int found = index.find(row);
        if (found >= 0) {
            return found;
        }
        final int slot = index.addLastFound();
        ensureSlots(index.slotLimit());
        slotRow[slot] = -1;
        if (newSlotCount == newSlots.length) {
            newSlots = Arrays.copyOf(newSlots, newSlotCount * 2);
        }
        newSlots[newSlotCount++] = slot;
        newSlotRow[slot] = row;
        return slot;
    }

    /** Slots to visit in commit order: every key held before the update, then the keys new in it. */
    public int slotCount() {
        checkUpdating();
        return current.rowCount() + newSlotCount;
    }

    /** The {@code i}-th slot in commit order, {@code i} in {@code [0, slotCount())}. */
    public int slotAt(final int i) {
        final int rows = current.rowCount();
        if (i < 0 || i >= rows + newSlotCount) {
            throw new IndexOutOfBoundsException("slot position=" + i + " out of range [0, " + (rows + newSlotCount) + ")");
        }
        return i < rows ? rowSlot[i] : newSlots[i - rows];
    }

    /** Whether {@code slot} has state as of the update so far. */
    public boolean exists(final int slot) {
        checkSlot(slot);
        final byte a = action[slot];
        return a == PUT || (a != REMOVE && slotRow[slot] >= 0);
    }

    /** Whether {@code slot} was put, removed or touched in this update. */
    public boolean changed(final int slot) {
        checkSlot(slot);
        return action[slot] != KEEP;
    }

    /** The state of {@code slot} boxed (a fresh array), or null if it has none. */
    public Object[] get(final int slot) {
        if (!exists(slot)) {
            return null;
        }
        if (action[slot] == PUT) {
            return pending[slot].clone();
        }
        final Object[] out = new Object[stateSchema.fieldCount()];
        for (int s = 0; s < out.length; s++) {
            out[s] = StateRows.value(current.vector(keyCount + s), slotRow[slot]);
        }
        return out;
    }

    /** The key of {@code slot} boxed (a fresh array). */
    public Object[] key(final int slot) {
        checkSlot(slot);
        final Object[] out = new Object[keyCount];
        for (int k = 0; k < keyCount; k++) {
            out[k] = slotRow[slot] >= 0 ? StateRows.value(current.vector(k), slotRow[slot])
                : StateRows.value(input.vector(inputKeyColumns[k]), newSlotRow[slot]);
        }
        return out;
    }

    /** The batch time {@code slot} was last updated, or {@link Long#MIN_VALUE} if it has no state. */
    public long lastUpdated(final int slot) {
        if (!exists(slot)) {
            return NO_TIME;
        }
        if (action[slot] == PUT || action[slot] == TOUCH) {
            return updateTime;
        }
        return current.int64Vector(updatedColumn).get(slotRow[slot]);
    }

    /** Sets the state of {@code slot} to {@code state} (checked against the state schema; the array is kept). */
    public void put(final int slot, final Object[] state) {
        checkSlot(slot);
        StateRows.check(stateSchema, state, "state '" + name + "' new state row");
        mark(slot, PUT);
        pending[slot] = state;
    }

    /** Removes the state of {@code slot} (no-op if it has none). */
    public void remove(final int slot) {
        checkSlot(slot);
        mark(slot, REMOVE);
        pending[slot] = null;
    }

    /** Sets the update time of {@code slot}'s unchanged state to this batch time (no-op if it has no state). */
    public void touch(final int slot) {
        if (exists(slot) && action[slot] == KEEP) {
            mark(slot, TOUCH);
        }
    }

    private void mark(final int slot, final byte a) {
        if (action[slot] == KEEP) {
            if (changedCount == changed.length) {
                changed = Arrays.copyOf(changed, changedCount * 2);
            }
            changed[changedCount++] = slot;
        }
        action[slot] = a;
    }

    /** Builds the new state batch, releases the old one and ends the update. */
    public void commit() {
        checkUpdating();
        final int rows = current.rowCount();
        final Batch next;
        int written = 0;
        final int[] nextRowSlot = new int[Math.max(16, rows + newSlotCount)];
        try (BatchBuilder out = new BatchBuilder(allocator, storeSchema, rows + newSlotCount)) {
            for (int r = 0; r < rows; r++) {
                final int slot = rowSlot[r];
                final byte a = action[slot];
                if (a == REMOVE) {
                    continue;
                }
                for (int k = 0; k < keyCount; k++) {
                    out.appendValue(k, current.vector(k), r);
                }
                writeState(out, slot, a, current, r);
                nextRowSlot[written++] = slot;
            }
            for (int i = 0; i < newSlotCount; i++) {
                final int slot = newSlots[i];
                if (action[slot] != PUT) {
                    continue;
                }
                for (int k = 0; k < keyCount; k++) {
                    out.appendValue(k, input.vector(inputKeyColumns[k]), newSlotRow[slot]);
                }
                writeState(out, slot, PUT, null, -1);
                nextRowSlot[written++] = slot;
            }
            next = out.build();
        } catch (final RuntimeException ex) {
            abort();
            throw ex;
        }
        // Index changes only after the batch is built, so a failure above leaves the store as it was.
        for (int r = 0; r < rows; r++) {
            if (action[rowSlot[r]] == REMOVE) {
                index.remove(rowSlot[r]);
            }
        }
        for (int i = 0; i < newSlotCount; i++) {
            if (action[newSlots[i]] != PUT) {
                index.remove(newSlots[i]);
            }
        }
        current.release();
        current = next;
        rowSlot = nextRowSlot;
        for (int r = 0; r < written; r++) {
            slotRow[rowSlot[r]] = r;
        }
        lastBatchTime = updateTime;
        endUpdate();
    }

    private void writeState(final BatchBuilder out, final int slot, final byte a, final Batch from, final int row) {
        if (a == PUT) {
            StateRows.set(out, keyCount, pending[slot]);
            out.setInt64(updatedColumn, updateTime);
            out.endRow();
            return;
        }
        for (int s = keyCount; s < updatedColumn; s++) {
            out.appendValue(s, from.vector(s), row);
        }
        if (a == TOUCH) {
            out.setInt64(updatedColumn, updateTime);
            out.endRow();
        } else {
            out.appendValue(updatedColumn, from.vector(updatedColumn), row);
        }
    }

    /** Drops the update in progress: keys it added are forgotten, the state is as before {@link #begin}. */
    public void abort() {
        if (updateTime == NO_TIME) {
            return;
        }
        for (int i = 0; i < newSlotCount; i++) {
            index.remove(newSlots[i]);
        }
        endUpdate();
    }

    private void endUpdate() {
        for (int i = 0; i < changedCount; i++) {
            action[changed[i]] = KEEP;
            pending[changed[i]] = null;
        }
        changedCount = 0;
        newSlotCount = 0;
        input = null;
        inputKeyColumns = null;
        index.unbind();
        updateTime = NO_TIME;
    }

    private void ensureSlots(final int limit) {
        if (limit > slotRow.length) {
            final int size = Math.max(limit, slotRow.length * 2);
            slotRow = Arrays.copyOf(slotRow, size);
            action = Arrays.copyOf(action, size);
            pending = Arrays.copyOf(pending, size);
            newSlotRow = Arrays.copyOf(newSlotRow, size);
        }
    }

    private void checkSlot(final int slot) {
        checkUpdating();
        if (slot < 0 || slot >= index.slotLimit()) {
            throw new IndexOutOfBoundsException("slot=" + slot + " out of range [0, " + index.slotLimit() + ")");
        }
    }

    private void checkUpdating() {
        checkOpen();
        if (updateTime == NO_TIME) {
            throw new IllegalStateException("state '" + name + "': no update in progress (call begin(batchTime) first)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("state '" + name + "' is closed");
        }
    }

    // ---- checkpoint ---------------------------------------------------------------------------------------------

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        if (updateTime != NO_TIME) {
            throw new IllegalStateException("state '" + name + "': cannot snapshot while the update of batchTime="
                + updateTime + " is open");
        }
        Files.createDirectories(dir);
        try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve(SNAPSHOT_FILE), storeSchema)) {
            writer.write(current);
        }
    }

    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        checkOpen();
        if (updateTime != NO_TIME) {
            throw new IllegalStateException("state '" + name + "': cannot restore while the update of batchTime="
                + updateTime + " is open");
        }
        final Path file = dir.resolve(SNAPSHOT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir, "state '" + name + "': snapshot file " + file + " is missing");
        }
        final Batch restored;
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(storeSchema)) {
                throw new CheckpointException(dir, "state '" + name + "': snapshot file " + file + " has schema="
                    + reader.schema() + ", expected " + storeSchema);
            }
            restored = Batches.concat(allocator, storeSchema, new ArrayList<>(reader.readAll(allocator)));
        } catch (final BatchFileException ex) {
            throw new CheckpointException(dir, "state '" + name + "': corrupt snapshot file " + ex.file() + " at offset="
                + ex.offset() + ": " + ex.getMessage(), ex);
        }
        try {
            rebuildIndex(restored, file, dir);
        } catch (final RuntimeException ex) {
            restored.release();
            index.clear();
            current.release();
            current = Batches.empty(allocator, storeSchema);
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
                ensureSlots(index.slotLimit());
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
        abort();
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

    /** The update-time vector of the current state; for the timeout scan of {@link MapWithState}. */
    Int64Vector updatedVector() {
        return current.int64Vector(updatedColumn);
    }
}
