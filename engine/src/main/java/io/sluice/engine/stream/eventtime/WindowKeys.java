package io.sluice.engine.stream.eventtime;

import java.util.Arrays;

import io.sluice.engine.dataset.Rows;
import io.sluice.engine.stream.state.KeyIndex;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * The keys of a window state: interned to small ids by a {@link KeyIndex}, reference counted by the (window, key)
 * entries that hold them (a key leaves with its last entry), and kept as values for output (one INT32/INT64 key as a
 * long, other keys boxed). No key columns: every row has key id 0. Single-threaded.
 */
final class WindowKeys {
    private final Schema schema;
    private final KeyIndex index;
    private final boolean singleNumeric;
    private final ColumnVector[] bound;
    private int[] refs = new int[16];
    private long[] longs = new long[16];
    private Object[][] values = new Object[16][];

    /** Keys of {@code schema} (INT32, INT64 or UTF8 columns), or of no columns if it is null. */
    WindowKeys(final Schema schema) {
        this.schema = schema;
        this.index = schema == null ? null : new KeyIndex(schema);
        this.singleNumeric = schema != null && schema.fieldCount() == 1 && schema.field(0).type() != ColumnType.UTF8;
        this.bound = new ColumnVector[schema == null ? 0 : schema.fieldCount()];
    }

    int columns() {
        return bound.length;
    }

    /** Distinct keys held ({@code entries > 0 ? 1 : 0} without key columns). */
    int size(final int entries) {
        return index == null ? (entries > 0 ? 1 : 0) : index.size();
    }

    /** Reads keys from columns {@code columns} of {@code batch} until {@link #unbind}. */
    void bind(final Batch batch, final int[] columns) {
        if (index != null) {
            index.bind(batch, columns);
            for (int k = 0; k < columns.length; k++) {
                bound[k] = batch.vector(columns[k]);
            }
        }
    }

    void unbind() {
        if (index != null) {
            index.unbind();
        }
        Arrays.fill(bound, null);
    }

    /** The id of the key at {@code row} of the bound batch, interned (with no reference yet) if new. */
    int id(final int row) {
        if (index == null) {
            return 0;
        }
        final int found = index.find(row);
        if (found >= 0) {
            return found;
        }
        final int id = index.addLastFound();
        if (id >= refs.length) {
            final int n = Math.max(id + 1, refs.length * 2);
            refs = Arrays.copyOf(refs, n);
            longs = Arrays.copyOf(longs, n);
            values = Arrays.copyOf(values, n);
        }
        refs[id] = 0;
        if (singleNumeric) {
            final ColumnVector v = bound[0];
            longs[id] = v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
        } else {
            final Object[] key = new Object[bound.length];
            for (int k = 0; k < key.length; k++) {
                key[k] = Rows.value(bound[k], row);
            }
            values[id] = key;
        }
        return id;
    }

    /** An entry took key {@code id}. */
    void retain(final int id) {
        refs[id]++;
    }

    /** An entry of key {@code id} left; the key leaves with its last entry. */
    void release(final int id) {
        if (--refs[id] == 0 && index != null) {
            index.remove(id);
            values[id] = null;
        }
    }

    /** Orders keys by value (so output does not depend on ids, hash order or restores). */
    int compare(final int a, final int b) {
        if (index == null) {
            return 0;
        }
        if (singleNumeric) {
            return Long.compare(longs[a], longs[b]);
        }
        int c = 0;
        for (int k = 0; k < bound.length && c == 0; k++) {
            @SuppressWarnings("unchecked")
            final Comparable<Object> x = (Comparable<Object>) values[a][k];
            c = x.compareTo(values[b][k]);
        }
        return c;
    }

    /** Writes key {@code id} into columns {@code first ..} of {@code out}'s current row. */
    void write(final BatchBuilder out, final int first, final int id) {
        if (singleNumeric) {
            if (schema.field(0).type() == ColumnType.INT32) {
                out.setInt32(first, (int) longs[id]);
            } else {
                out.setInt64(first, longs[id]);
            }
            return;
        }
        for (int k = 0; k < bound.length; k++) {
            Rows.setValue(out, first + k, values[id][k]);
        }
    }

    /** Forgets every key. */
    void clear() {
        if (index != null) {
            index.clear();
        }
        Arrays.fill(values, null);
        Arrays.fill(refs, 0);
    }
}
