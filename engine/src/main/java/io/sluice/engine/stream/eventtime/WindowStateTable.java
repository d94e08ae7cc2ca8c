package io.sluice.engine.stream.eventtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.MutableDirectBuffer;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.AggPlan;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;

/**
 * The aggregation state of event-time windows, one entry per (window, key): the window's bounds, the key's id and
 * one accumulator per aggregate, in fixed-width entries of one off-heap slab (a buffer of the context's allocator,
 * doubled when full; freed entries are reused, so a stream whose open windows are bounded holds a bounded slab).
 * Keys are interned and reference counted by {@link WindowKeys}: a key leaves with its last window.
 * Which entries belong to which window is the caller's index ({@link WindowAggregation}). Single-threaded.
 *
 * <pre>
 * entry e at offset e * entryBytes:
 *   0        8        16       20       24              24 + 16a        32 + 16a
 *   +--------+--------+--------+--------+-- ... --------+---------------+---------------+-- ...
 *   | start  | end    | key id | unused |               | value of a    | non-null n a  |
 *   +--------+--------+--------+--------+-- ... --------+---------------+---------------+-- ...
 *   value: the running COUNT/SUM/MIN/MAX (a long, or a double's bits for FLOAT64 sums and averages)
 * </pre>
 */
final class WindowStateTable implements AutoCloseable {
    static final String WINDOW_START = "window_start";
    static final String WINDOW_END = "window_end";
    private static final int START = 0;
    private static final int END = 8;
    private static final int KEY = 16;
    private static final int HEADER = 24;
    private static final int INITIAL_ENTRIES = 64;

    private final BufferAllocator allocator;
    private final int[] keyColumns;
    private final AggPlan plan;
    private final int aggs;
    private final int[] aggColumns;
    private final boolean[] doubles;
    private final Agg.Fn[] fns;
    private final int entryBytes;
    private final Schema outputSchema;
    private final Schema snapshotSchema;
    private final Schema keySchema;
    private final WindowKeys keys;
    private OffHeapBuffer slab;
    // The slab's Agrona view (bounds-checked by Agrona), taken once per allocation instead of per access.
    private MutableDirectBuffer view;
    private boolean closed;
    private int capacity;
    private int highWater;
    private int[] free = new int[16];
    private int freeCount;
    private int live;

    /**
     * State for rows of {@code input} grouped by {@code keyNames} (INT32, INT64 or UTF8 columns; none for one group
     * per window) with {@code aggList} (typed as {@link AggPlan} types them).
     */
    WindowStateTable(final BufferAllocator allocator, final Schema input, final List<String> keyNames, final List<Agg> aggList) {
        this.allocator = allocator;
        this.plan = new AggPlan(input, keyNames, aggList);
        final int planKeys = keyNames.size();
        this.keyColumns = new int[keyNames.size()];
        final List<Field> keyFields = new ArrayList<>();
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = input.indexOf(keyNames.get(k));
            keyFields.add(Field.notNull(keyNames.get(k), input.field(keyColumns[k]).type()));
        }
        this.keySchema = keyFields.isEmpty() ? null : new Schema(keyFields);
        this.keys = new WindowKeys(keySchema);
        this.aggs = aggList.size();
        this.aggColumns = new int[aggs];
        this.doubles = new boolean[aggs];
        this.fns = new Agg.Fn[aggs];
        final List<Field> out = new ArrayList<>();
        out.add(Field.notNull(WINDOW_START, ColumnType.INT64));
        out.add(Field.notNull(WINDOW_END, ColumnType.INT64));
        out.addAll(keyFields);
        final List<Field> snap = new ArrayList<>(out);
        for (int a = 0; a < aggs; a++) {
            aggColumns[a] = plan.inputColumn(a);
            doubles[a] = plan.valueType(a) == ColumnType.FLOAT64;
            fns[a] = plan.aggs().get(a).fn();
            final Field f = plan.finalSchema().field(planKeys + a);
            if (f.name().equals(WINDOW_START) || f.name().equals(WINDOW_END) || keyNames.contains(f.name())) {
                throw new IllegalArgumentException("aggregate " + plan.aggs().get(a) + " output name '" + f.name()
                    + "' clashes with a window or key column");
            }
            out.add(f);
            snap.add(Field.notNull("_v" + a, plan.valueType(a)));
            snap.add(Field.notNull("_n" + a, ColumnType.INT64));
        }
        this.outputSchema = new Schema(out);
        this.snapshotSchema = new Schema(snap);
        this.entryBytes = HEADER + 16 * aggs;
    }

    /** The partial aggregation of input rows into this table's groups, for {@code window} over {@code timeColumn}. */
    PartialAggregation partialAggregation(final EventTimeWindow window, final int timeColumn) {
        return new PartialAggregation(window, timeColumn, keyColumns, keySchema, aggColumns, fns, doubles);
    }

    /** window_start, window_end (INT64), the keys, then one column per aggregate. */
    Schema outputSchema() {
        return outputSchema;
    }

    /** The entries as a snapshot: window_start, window_end, the keys, then {@code _v<a>}, {@code _n<a>} per aggregate. */
    Schema snapshotSchema() {
        return snapshotSchema;
    }

    /** Entries held. */
    int entries() {
        return live;
    }

    /** Distinct keys held. */
    int keys() {
        return keys.size(live);
    }

    /** Off-heap bytes of the slab (none before the first entry). */
    long slabBytes() {
        return slab == null ? 0 : slab.capacity();
    }

    // ---- binding a batch ----------------------------------------------------------------------------------------

    /** Reads keys from {@code batch} (input schema) until the next bind. */
    void bind(final Batch batch) {
        checkOpen();
        keys.bind(batch, keyColumns);
    }

    void unbind() {
        keys.unbind();
    }

    /** The id of the key at {@code row} of the bound batch, interned (with no reference yet) if new. */
    int keyId(final int row) {
        return keys.id(row);
    }

    // ---- entries ------------------------------------------------------------------------------------------------

    /** A new entry of window {@code [start, end)} for {@code keyId}, accumulators empty. */
    int newEntry(final long start, final long end, final int keyId) {
        final int e;
        if (freeCount > 0) {
            e = free[--freeCount];
        } else {
            if (highWater == capacity) {
                grow();
            }
            e = highWater++;
        }
        final int base = e * entryBytes;
        view.putLong(base + START, start);
        view.putLong(base + END, end);
        view.putInt(base + KEY, keyId);
        for (int a = 0; a < aggs; a++) {
            final int at = base + HEADER + 16 * a;
            if (doubles[a]) {
                final double init = fns[a] == Agg.Fn.MIN ? Double.POSITIVE_INFINITY : fns[a] == Agg.Fn.MAX ? Double.NEGATIVE_INFINITY : 0;
                view.putLong(at, Double.doubleToRawLongBits(init));
            } else {
                view.putLong(at, fns[a] == Agg.Fn.MIN ? Long.MAX_VALUE : fns[a] == Agg.Fn.MAX ? Long.MIN_VALUE : 0);
            }
            view.putLong(at + 8, 0);
        }
        keys.retain(keyId);
        live++;
        return e;
    }

    private void grow() {
        checkOpen();
        if (slab == null) {
            slab = allocator.allocate((long) INITIAL_ENTRIES * entryBytes);
            view = slab.buffer();
            capacity = slab.capacity() / entryBytes;
            return;
        }
        final OffHeapBuffer bigger = allocator.allocate((long) slab.capacity() * 2);
        bigger.buffer().putBytes(0, slab.buffer(), 0, highWater * entryBytes);
        slab.release();
        slab = bigger;
        view = slab.buffer();
        capacity = slab.capacity() / entryBytes;
    }

    /** Frees entry {@code e}; its key leaves with its last entry. */
    void free(final int e) {
        final int keyId = key(e);
        keys.release(keyId);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = e;
        live--;
        if (live == 0) {
            // Everything left: start again from the front so the slab's used part stays compact.
            freeCount = 0;
            highWater = 0;
        }
    }

    long start(final int e) {
        return view.getLong(e * entryBytes + START);
    }

    long end(final int e) {
        return view.getLong(e * entryBytes + END);
    }

    int key(final int e) {
        return view.getInt(e * entryBytes + KEY);
    }

    void setBounds(final int e, final long start, final long end) {
        view.putLong(e * entryBytes + START, start);
        view.putLong(e * entryBytes + END, end);
    }

    /** Adds group {@code g} of {@code partial} to entry {@code e}'s accumulators. */
    void accumulate(final int e, final WindowPartial partial, final int g) {
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final long n = partial.count(a, g);
            if (n == 0) {
                continue;
            }
            final int at = base + 16 * a;
            view.putLong(at + 8, view.getLong(at + 8) + n);
            if (fns[a] == Agg.Fn.COUNT) {
                continue;
            }
            if (doubles[a]) {
                view.putLong(at, Double.doubleToRawLongBits(WindowPartial.fold(fns[a], Double.longBitsToDouble(view.getLong(at)),
                    partial.doubleValue(a, g))));
            } else {
                view.putLong(at, WindowPartial.fold(fns[a], view.getLong(at), partial.longValue(a, g)));
            }
        }
    }

    /** Adds {@code from}'s accumulators into {@code into} (a session merge); {@code from} is left unchanged. */
    void combine(final int into, final int from) {
        for (int a = 0; a < aggs; a++) {
            final int to = into * entryBytes + HEADER + 16 * a;
            final int src = from * entryBytes + HEADER + 16 * a;
            final long n = view.getLong(src + 8);
            if (n == 0) {
                continue;
            }
            view.putLong(to + 8, view.getLong(to + 8) + n);
            final Agg.Fn fn = fns[a] == Agg.Fn.COUNT ? Agg.Fn.SUM : fns[a];
            if (doubles[a]) {
                view.putLong(to, Double.doubleToRawLongBits(WindowPartial.fold(fn, Double.longBitsToDouble(view.getLong(to)),
                    Double.longBitsToDouble(view.getLong(src)))));
            } else {
                view.putLong(to, WindowPartial.fold(fn, view.getLong(to), view.getLong(src)));
            }
        }
    }

    /** Orders entries by window start, end, then key (so output does not depend on hash order or restores). */
    int compare(final int a, final int b) {
        int c = Long.compare(start(a), start(b));
        if (c == 0) {
            c = Long.compare(end(a), end(b));
        }
        return c != 0 ? c : keys.compare(key(a), key(b));
    }

    // ---- output -------------------------------------------------------------------------------------------------

    /** Appends entry {@code e} as one row of {@link #outputSchema()} to {@code out}. */
    void appendOutput(final BatchBuilder out, final int e) {
        final int column = appendWindowAndKey(out, e);
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final int c = column + a;
            final long n = view.getLong(base + 16 * a + 8);
            final long bits = view.getLong(base + 16 * a);
            if (fns[a] == Agg.Fn.COUNT) {
                out.setInt64(c, n);
            } else if (n == 0) {
                out.setNull(c);
            } else if (fns[a] == Agg.Fn.AVG) {
                out.setFloat64(c, Double.longBitsToDouble(bits) / n);
            } else if (doubles[a]) {
                out.setFloat64(c, Double.longBitsToDouble(bits));
            } else if (outputSchema.field(c).type() == ColumnType.INT32) {
                out.setInt32(c, (int) bits);
            } else {
                out.setInt64(c, bits);
            }
        }
        out.endRow();
    }

    /** Appends entry {@code e} as one row of {@link #snapshotSchema()} to {@code out}. */
    void appendSnapshot(final BatchBuilder out, final int e) {
        final int column = appendWindowAndKey(out, e);
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final long bits = view.getLong(base + 16 * a);
            if (doubles[a]) {
                out.setFloat64(column + 2 * a, Double.longBitsToDouble(bits));
            } else {
                out.setInt64(column + 2 * a, bits);
            }
            out.setInt64(column + 2 * a + 1, view.getLong(base + 16 * a + 8));
        }
        out.endRow();
    }

    private int appendWindowAndKey(final BatchBuilder out, final int e) {
        out.setInt64(0, start(e));
        out.setInt64(1, end(e));
        keys.write(out, 2, key(e));
        return 2 + keyColumns.length;
    }

    /**
     * Adds row {@code row} of a batch of {@link #snapshotSchema()} as a new entry and returns it; bind the batch with
     * {@link #bindSnapshot} first.
     */
    int restoreEntry(final Batch snapshot, final int row) {
        final int e = newEntry(snapshot.int64Vector(0).get(row), snapshot.int64Vector(1).get(row), keyId(row));
        final int column = 2 + keyColumns.length;
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final long bits = doubles[a] ? Double.doubleToRawLongBits(snapshot.float64Vector(column + 2 * a).get(row))
                : snapshot.int64Vector(column + 2 * a).get(row);
            view.putLong(base + 16 * a, bits);
            view.putLong(base + 16 * a + 8, snapshot.int64Vector(column + 2 * a + 1).get(row));
        }
        return e;
    }

    /** Binds a batch of {@link #snapshotSchema()} for {@link #restoreEntry}. */
    void bindSnapshot(final Batch snapshot) {
        final int[] columns = new int[keyColumns.length];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = 2 + k;
        }
        keys.bind(snapshot, columns);
    }

    /** Frees every entry and key (the slab stays). */
    void clear() {
        keys.clear();
        freeCount = 0;
        highWater = 0;
        live = 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("window state is closed");
        }
    }

    /** Frees the slab. Idempotent; the table cannot take entries afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (slab != null) {
            slab.release();
            slab = null;
            view = null;
        }
        clear();
    }
}
