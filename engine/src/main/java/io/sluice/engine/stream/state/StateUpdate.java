package io.sluice.engine.stream.state;

import java.util.Arrays;

import io.sluice.engine.dataset.Rows;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;

/**
 * The update of a {@link KeyedStateStore} for one batch time, from {@link KeyedStateStore#begin(long)}:
 * {@link #bind} the batch, {@link #slot(int)} per row, {@link #put}/{@link #remove}/{@link #touch} per slot, then
 * {@link #commit()}, which builds the new state batch (keys held before, in their order, then new keys in order of
 * first appearance) and releases the old one. {@link #abort()} (or {@link #close()} without commit) drops it.
 * Keys not changed keep their state and update time, copied column by column. Probing and copying allocate nothing
 * per row; {@link #get}/{@link #key} box (for user functions). A slot is valid only within this update.
 */
public final class StateUpdate implements AutoCloseable {
    private static final byte KEEP = 0;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte TOUCH = 3;
    /** Below this many consecutive unchanged rows, a slice costs more than copying cell by cell. */
    private static final int RUN_COPY_MIN_ROWS = 8;

    private final KeyedStateStore store;
    private final KeyIndex index;
    private final int keyCount;
    private final int updatedColumn;
    private long time = KeyedStateStore.NO_TIME;
    private Batch input;
    private int[] inputKeyColumns;
    private byte[] action = new byte[16];
    private Object[][] pending = new Object[16][];
    private int[] changed = new int[16];
    private int changedCount;
    private int[] newSlots = new int[16];
    private int[] newSlotRow = new int[16];
    private int newSlotCount;
    private int[] spareRowSlot = new int[0];

    StateUpdate(final KeyedStateStore store, final KeyIndex index, final int keyCount, final int updatedColumn) {
        this.store = store;
        this.index = index;
        this.keyCount = keyCount;
        this.updatedColumn = updatedColumn;
    }

    void open(final long batchTimeMillis) {
        time = batchTimeMillis;
        ensureSlots(index.slotLimit());
    }

    boolean isOpen() {
        return time != KeyedStateStore.NO_TIME;
    }

    /** The batch time being applied. */
    public long batchTimeMillis() {
        checkOpen();
        return time;
    }

    /**
     * Binds the update to {@code batch}, whose columns {@code keyColumns} hold the keys (types as in the key
     * schema); the batch must stay retained until commit or abort. At most one batch per update.
     */
    public void bind(final Batch batch, final int[] keyColumns) {
        checkOpen();
        if (input != null) {
            throw new IllegalStateException(store.label() + ": a batch is already bound to the update of batchTime=" + time);
        }
        index.bind(batch, keyColumns);
        input = batch;
        inputKeyColumns = keyColumns.clone();
    }

    /** The slot of the key at {@code row} of the bound batch, adding the key (without state) if it is new. */
    public int slot(final int row) {
        checkOpen();
        if (input == null) {
            throw new IllegalStateException(store.label() + ": no batch bound to the update of batchTime=" + time);
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
        store.slotRow[slot] = -1;
        if (newSlotCount == newSlots.length) {
            newSlots = Arrays.copyOf(newSlots, newSlotCount * 2);
        }
        newSlots[newSlotCount++] = slot;
        newSlotRow[slot] = row;
        return slot;
    }

    /** Slots to visit in commit order: every key held before the update, then the keys new in it. */
    public int slotCount() {
        checkOpen();
        return store.current.rowCount() + newSlotCount;
    }

    /** The {@code i}-th slot in commit order, {@code i} in {@code [0, slotCount())}. */
    public int slotAt(final int i) {
        final int rows = slotCount() - newSlotCount;
        if (i < 0 || i >= rows + newSlotCount) {
            throw new IndexOutOfBoundsException("slot position=" + i + " out of range [0, " + (rows + newSlotCount) + ")");
        }
        return i < rows ? store.rowSlot[i] : newSlots[i - rows];
    }

    /** Whether {@code slot} has state as of the update so far. */
    public boolean exists(final int slot) {
        checkSlot(slot);
        final byte a = action[slot];
        return a == PUT || (a != REMOVE && store.slotRow[slot] >= 0);
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
        final Object[] out = new Object[updatedColumn - keyCount];
        for (int s = 0; s < out.length; s++) {
            out[s] = Rows.value(store.current.vector(keyCount + s), store.slotRow[slot]);
        }
        return out;
    }

    /** The key of {@code slot} boxed (a fresh array). */
    public Object[] key(final int slot) {
        checkSlot(slot);
        final int row = store.slotRow[slot];
        final Object[] out = new Object[keyCount];
        for (int k = 0; k < keyCount; k++) {
            out[k] = row >= 0 ? Rows.value(store.current.vector(k), row)
                : Rows.value(input.vector(inputKeyColumns[k]), newSlotRow[slot]);
        }
        return out;
    }

    /** The batch time {@code slot} was last updated, or {@link Long#MIN_VALUE} if it has no state. */
    public long lastUpdated(final int slot) {
        if (!exists(slot)) {
            return KeyedStateStore.NO_TIME;
        }
        if (action[slot] == PUT || action[slot] == TOUCH) {
            return time;
        }
        return store.current.int64Vector(updatedColumn).get(store.slotRow[slot]);
    }

    /** Sets the state of {@code slot} to {@code state} (checked against the state schema; the array is kept). */
    public void put(final int slot, final Object[] state) {
        checkSlot(slot);
        final String problem = StateRows.problem(store.stateSchema(), state);
        if (problem != null) {
            throw new IllegalArgumentException(store.label() + " new state row of key=" + Arrays.toString(key(slot)) + problem);
        }
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

    /** Builds the new state batch, releases the old one and ends the update; on failure the update is aborted. */
    public void commit() {
        checkOpen();
        final Batch current = store.current;
        final int rows = current.rowCount();
        // Row -> slot of the next batch: reuse the array the previous commit retired, so a steady state allocates none.
        final int[] nextRowSlot = spareRowSlot.length >= rows + newSlotCount ? spareRowSlot
            : new int[Math.max(16, (rows + newSlotCount) * 5 / 4)];
        int written = 0;
        final Batch next;
        try (BatchBuilder out = new BatchBuilder(store.allocator(), store.storeSchema(), rows + newSlotCount)) {
            int r = 0;
            while (r < rows) {
                final int slot = store.rowSlot[r];
                final byte a = action[slot];
                if (a == KEEP) {
                    // Runs of unchanged keys (most keys, in a large state) are copied a column at a time.
                    int end = r + 1;
                    while (end < rows && action[store.rowSlot[end]] == KEEP) {
                        end++;
                    }
                    copyRows(out, current, r, end);
                    for (; r < end; r++) {
                        nextRowSlot[written++] = store.rowSlot[r];
                    }
                    continue;
                }
                if (a != REMOVE) {
                    for (int k = 0; k < keyCount; k++) {
                        out.appendValue(k, current.vector(k), r);
                    }
                    writeState(out, slot, a, current, r);
                    nextRowSlot[written++] = slot;
                }
                r++;
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
        // The index changes only once the batch is built, so a failure above leaves the store as it was.
        removeDropped(rows);
        spareRowSlot = store.install(next, nextRowSlot, written, time);
        end();
    }

    /** Removes from the index the keys this update removed and the new keys it did not keep. */
    private void removeDropped(final int rows) {
        for (int r = 0; r < rows; r++) {
            if (action[store.rowSlot[r]] == REMOVE) {
                index.remove(store.rowSlot[r]);
            }
        }
        for (int i = 0; i < newSlotCount; i++) {
            if (action[newSlots[i]] != PUT) {
                index.remove(newSlots[i]);
            }
        }
    }

    /** Copies rows {@code [from, to)} of {@code current} unchanged: short runs cell by cell, long runs column by column. */
    private void copyRows(final BatchBuilder out, final Batch current, final int from, final int to) {
        final int columns = updatedColumn + 1;
        if (to - from < RUN_COPY_MIN_ROWS) {
            for (int r = from; r < to; r++) {
                for (int c = 0; c < columns; c++) {
                    out.appendValue(c, current.vector(c), r);
                }
            }
            return;
        }
        try (Batch run = current.slice(from, to)) {
            for (int c = 0; c < columns; c++) {
                out.appendColumn(c, run.vector(c));
            }
        }
    }

    private void writeState(final BatchBuilder out, final int slot, final byte a, final Batch from, final int row) {
        if (a == PUT) {
            StateRows.set(out, keyCount, pending[slot]);
            out.setInt64(updatedColumn, time);
            out.endRow();
            return;
        }
        for (int s = keyCount; s < updatedColumn; s++) {
            out.appendValue(s, from.vector(s), row);
        }
        if (a == TOUCH) {
            out.setInt64(updatedColumn, time);
            out.endRow();
        } else {
            out.appendValue(updatedColumn, from.vector(updatedColumn), row);
        }
    }

    /** Drops the update: keys it added are forgotten, the state is as before it began. No-op when not open. */
    public void abort() {
        if (!isOpen()) {
            return;
        }
        for (int i = 0; i < newSlotCount; i++) {
            index.remove(newSlots[i]);
        }
        end();
    }

    /** Same as {@link #abort()}: an update not committed is dropped. */
    @Override
    public void close() {
        abort();
    }

    private void end() {
        for (int i = 0; i < changedCount; i++) {
            action[changed[i]] = KEEP;
            pending[changed[i]] = null;
        }
        changedCount = 0;
        newSlotCount = 0;
        input = null;
        inputKeyColumns = null;
        index.unbind();
        time = KeyedStateStore.NO_TIME;
    }

    void ensureSlots(final int limit) {
        store.ensureSlots(limit);
        if (limit > action.length) {
            final int size = Math.max(limit, action.length * 2);
            action = Arrays.copyOf(action, size);
            pending = Arrays.copyOf(pending, size);
            newSlotRow = Arrays.copyOf(newSlotRow, size);
        }
    }

    private void checkSlot(final int slot) {
        checkOpen();
        if (slot < 0 || slot >= index.slotLimit()) {
            throw new IndexOutOfBoundsException("slot=" + slot + " out of range [0, " + index.slotLimit() + ")");
        }
    }

    private void checkOpen() {
        store.checkOpen();
        if (!isOpen()) {
            throw new IllegalStateException(store.label() + ": no update in progress (call begin(batchTime) first)");
        }
    }
}
