package io.sluice.engine.stream.eventtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.AggPlan;
import io.sluice.engine.dataset.Rows;
import io.sluice.engine.stream.state.KeyIndex;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;

/**
 * The aggregation state of event-time windows, one entry per (window, key): the window's bounds, the key's id and
 * one accumulator per aggregate, in fixed-width entries of one off-heap slab (a buffer of the context's allocator,
 * doubled when full; freed entries are reused, so a stream whose open windows are bounded holds a bounded slab).
 * Keys are interned by a {@link KeyIndex} and reference counted by their entries: a key leaves with its last window.
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
    private final Schema keySchema;
    private final int[] keyColumns;
    private final AggPlan plan;
    private final int aggs;
    private final int[] aggColumns;
    private final boolean[] doubles;
    private final Agg.Fn[] fns;
    private final int entryBytes;
    private final Schema outputSchema;
    private final Schema snapshotSchema;
    private final KeyIndex keys;
    private OffHeapBuffer slab;
    private boolean closed;
    private int capacity;
    private int highWater;
    private int[] free = new int[16];
    private int freeCount;
    private int live;
    private int[] keyRefs = new int[16];
    private long[] keyLongs = new long[16];
    private Object[][] keyValues = new Object[16][];
    private final ColumnVector[] boundValues;
    private final ColumnVector[] boundKeys;

    /**
     * State for rows of {@code input} grouped by {@code keyNames} (INT32, INT64 or UTF8 columns; none for one group
     * per window) with {@code aggList} (typed as {@link AggPlan} types them); {@code timeColumn} types keyless plans.
     */
    WindowStateTable(final BufferAllocator allocator, final Schema input, final List<String> keyNames, final List<Agg> aggList,
                     final String timeColumn) {
        this.allocator = allocator;
        this.plan = new AggPlan(input, keyNames.isEmpty() ? List.of(timeColumn) : keyNames, aggList);
        final int planKeys = plan.keySchema().fieldCount();
        this.keyColumns = new int[keyNames.size()];
        final List<Field> keyFields = new ArrayList<>();
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = input.indexOf(keyNames.get(k));
            keyFields.add(Field.notNull(keyNames.get(k), input.field(keyColumns[k]).type()));
        }
        this.keySchema = new Schema(keyFields);
        this.keys = keyColumns.length == 0 ? null : new KeyIndex(keySchema);
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
        this.boundValues = new ColumnVector[aggs];
        this.boundKeys = new ColumnVector[keyColumns.length];
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
        return keys == null ? (live > 0 ? 1 : 0) : keys.size();
    }

    /** Off-heap bytes of the slab (none before the first entry). */
    long slabBytes() {
        return slab == null ? 0 : slab.capacity();
    }

    // ---- binding a batch ----------------------------------------------------------------------------------------

    /** Reads keys and aggregate inputs from {@code batch} (input schema) until the next bind. */
    void bind(final Batch batch) {
        bind(batch, keyColumns);
        for (int a = 0; a < aggs; a++) {
            boundValues[a] = aggColumns[a] < 0 ? null : batch.vector(aggColumns[a]);
        }
    }

    private void bind(final Batch batch, final int[] columns) {
        if (keys != null) {
            keys.bind(batch, columns);
            for (int k = 0; k < columns.length; k++) {
                boundKeys[k] = batch.vector(columns[k]);
            }
        }
    }

    void unbind() {
        if (keys != null) {
            keys.unbind();
        }
        Arrays.fill(boundValues, null);
        Arrays.fill(boundKeys, null);
    }

    /** The id of the key at {@code row} of the bound batch, interned (with no reference yet) if new. */
    int keyId(final int row) {
        if (keys == null) {
            return 0;
        }
        final int found = keys.find(row);
        if (found >= 0) {
            return found;
        }
        final int id = keys.addLastFound();
        if (id >= keyRefs.length) {
            final int n = Math.max(id + 1, keyRefs.length * 2);
            keyRefs = Arrays.copyOf(keyRefs, n);
            keyLongs = Arrays.copyOf(keyLongs, n);
            keyValues = Arrays.copyOf(keyValues, n);
        }
        keyRefs[id] = 0;
        if (boundKeys.length == 1 && boundKeys[0].type() != ColumnType.UTF8) {
            final ColumnVector v = boundKeys[0];
            keyLongs[id] = v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
        } else {
            final Object[] values = new Object[boundKeys.length];
            for (int k = 0; k < values.length; k++) {
                values[k] = Rows.value(boundKeys[k], row);
            }
            keyValues[id] = values;
        }
        return id;
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
        slab.putLong(base + START, start);
        slab.putLong(base + END, end);
        slab.putInt(base + KEY, keyId);
        for (int a = 0; a < aggs; a++) {
            final int at = base + HEADER + 16 * a;
            if (doubles[a]) {
                final double init = fns[a] == Agg.Fn.MIN ? Double.POSITIVE_INFINITY : fns[a] == Agg.Fn.MAX ? Double.NEGATIVE_INFINITY : 0;
                slab.putLong(at, Double.doubleToRawLongBits(init));
            } else {
                slab.putLong(at, fns[a] == Agg.Fn.MIN ? Long.MAX_VALUE : fns[a] == Agg.Fn.MAX ? Long.MIN_VALUE : 0);
            }
            slab.putLong(at + 8, 0);
        }
        keyRefs[keyId]++;
        live++;
        return e;
    }

    private void grow() {
        checkOpen();
        if (slab == null) {
            slab = allocator.allocate((long) INITIAL_ENTRIES * entryBytes);
            capacity = slab.capacity() / entryBytes;
            return;
        }
        final OffHeapBuffer bigger = allocator.allocate((long) slab.capacity() * 2);
        bigger.buffer().putBytes(0, slab.buffer(), 0, highWater * entryBytes);
        slab.release();
        slab = bigger;
        capacity = slab.capacity() / entryBytes;
    }

    /** Frees entry {@code e}; its key leaves with its last entry. */
    void free(final int e) {
        final int keyId = key(e);
        if (--keyRefs[keyId] == 0 && keys != null) {
            keys.remove(keyId);
            keyValues[keyId] = null;
        }
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
        return slab.getLong(e * entryBytes + START);
    }

    long end(final int e) {
        return slab.getLong(e * entryBytes + END);
    }

    int key(final int e) {
        return slab.getInt(e * entryBytes + KEY);
    }

    void setBounds(final int e, final long start, final long end) {
        slab.putLong(e * entryBytes + START, start);
        slab.putLong(e * entryBytes + END, end);
    }

    /** Adds row {@code row} of the bound batch to entry {@code e}'s accumulators. */
    void accumulate(final int e, final int row) {
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final int at = base + 16 * a;
            final ColumnVector v = boundValues[a];
            if (v == null) {
                slab.putLong(at + 8, slab.getLong(at + 8) + 1);
                continue;
            }
            if (v.isNull(row)) {
                continue;
            }
            slab.putLong(at + 8, slab.getLong(at + 8) + 1);
            if (fns[a] == Agg.Fn.COUNT) {
                continue;
            }
            if (doubles[a]) {
                final double x = v.type() == ColumnType.FLOAT64 ? ((Float64Vector) v).get(row) : integral(v, row);
                slab.putLong(at, Double.doubleToRawLongBits(fold(fns[a], Double.longBitsToDouble(slab.getLong(at)), x)));
            } else {
                slab.putLong(at, fold(fns[a], slab.getLong(at), integral(v, row)));
            }
        }
    }

    /** Adds {@code from}'s accumulators into {@code into} (a session merge); {@code from} is left unchanged. */
    void combine(final int into, final int from) {
        for (int a = 0; a < aggs; a++) {
            final int to = into * entryBytes + HEADER + 16 * a;
            final int src = from * entryBytes + HEADER + 16 * a;
            final long n = slab.getLong(src + 8);
            if (n == 0) {
                continue;
            }
            slab.putLong(to + 8, slab.getLong(to + 8) + n);
            final Agg.Fn fn = fns[a] == Agg.Fn.COUNT ? Agg.Fn.SUM : fns[a];
            if (doubles[a]) {
                slab.putLong(to, Double.doubleToRawLongBits(fold(fn, Double.longBitsToDouble(slab.getLong(to)),
                    Double.longBitsToDouble(slab.getLong(src)))));
            } else {
                slab.putLong(to, fold(fn, slab.getLong(to), slab.getLong(src)));
            }
        }
    }

    private static long fold(final Agg.Fn fn, final long acc, final long x) {
        switch (fn) {
            case MIN:
                return Math.min(acc, x);
            case MAX:
                return Math.max(acc, x);
            default:
                return acc + x;
        }
    }

    private static double fold(final Agg.Fn fn, final double acc, final double x) {
        switch (fn) {
            case MIN:
                return Math.min(acc, x);
            case MAX:
                return Math.max(acc, x);
            default:
                return acc + x;
        }
    }

    private static long integral(final ColumnVector v, final int row) {
        return v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
    }

    /** Orders entries by window start, end, then key (so output does not depend on hash order or restores). */
    int compare(final int a, final int b) {
        int c = Long.compare(start(a), start(b));
        if (c == 0) {
            c = Long.compare(end(a), end(b));
        }
        if (c != 0 || keys == null) {
            return c;
        }
        final int ka = key(a);
        final int kb = key(b);
        if (keyValues[ka] == null) {
            return Long.compare(keyLongs[ka], keyLongs[kb]);
        }
        for (int k = 0; k < keyColumns.length && c == 0; k++) {
            @SuppressWarnings("unchecked")
            final Comparable<Object> x = (Comparable<Object>) keyValues[ka][k];
            c = x.compareTo(keyValues[kb][k]);
        }
        return c;
    }

    // ---- output -------------------------------------------------------------------------------------------------

    /** Appends entry {@code e} as one row of {@link #outputSchema()} to {@code out}. */
    void appendOutput(final BatchBuilder out, final int e) {
        final int column = appendWindowAndKey(out, e);
        final int base = e * entryBytes + HEADER;
        for (int a = 0; a < aggs; a++) {
            final int c = column + a;
            final long n = slab.getLong(base + 16 * a + 8);
            final long bits = slab.getLong(base + 16 * a);
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
            final long bits = slab.getLong(base + 16 * a);
            if (doubles[a]) {
                out.setFloat64(column + 2 * a, Double.longBitsToDouble(bits));
            } else {
                out.setInt64(column + 2 * a, bits);
            }
            out.setInt64(column + 2 * a + 1, slab.getLong(base + 16 * a + 8));
        }
        out.endRow();
    }

    private int appendWindowAndKey(final BatchBuilder out, final int e) {
        out.setInt64(0, start(e));
        out.setInt64(1, end(e));
        final int keyId = key(e);
        if (keyColumns.length == 1 && keySchema.field(0).type() != ColumnType.UTF8) {
            if (keySchema.field(0).type() == ColumnType.INT32) {
                out.setInt32(2, (int) keyLongs[keyId]);
            } else {
                out.setInt64(2, keyLongs[keyId]);
            }
        } else {
            for (int k = 0; k < keyColumns.length; k++) {
                Rows.setValue(out, 2 + k, keyValues[keyId][k]);
            }
        }
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
            slab.putLong(base + 16 * a, bits);
            slab.putLong(base + 16 * a + 8, snapshot.int64Vector(column + 2 * a + 1).get(row));
        }
        return e;
    }

    /** Binds a batch of {@link #snapshotSchema()} for {@link #restoreEntry}. */
    void bindSnapshot(final Batch snapshot) {
        final int[] columns = new int[keyColumns.length];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = 2 + k;
        }
        bind(snapshot, columns);
    }

    /** Frees every entry and key (the slab stays). */
    void clear() {
        if (keys != null) {
            keys.clear();
        }
        Arrays.fill(keyValues, null);
        Arrays.fill(keyRefs, 0);
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
        }
        clear();
    }
}
