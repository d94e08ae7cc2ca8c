package io.sluice.engine.dataset;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BooleanVector;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/** Orders the rows of a batch by sort keys (stable: ties keep input order) and copies out the first rows. */
final class RowSorter {
    private final int[] columns;
    private final boolean[] ascending;

    RowSorter(final Schema schema, final List<SortKey> keys) {
        columns = new int[keys.size()];
        ascending = new boolean[keys.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = schema.indexOf(keys.get(i).column());
            ascending[i] = keys.get(i).ascending();
        }
    }

    /** A new batch of the first {@code limit} rows of {@code batch} in sort order; the input is not released. */
    Batch firstRows(final Batch batch, final int limit, final BufferAllocator allocator) {
        final int n = batch.rowCount();
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (columns.length > 0) {
            final ColumnVector[] vectors = new ColumnVector[columns.length];
            for (int i = 0; i < columns.length; i++) {
                vectors[i] = batch.vector(columns[i]);
            }
            final Comparator<Integer> cmp = (a, b) -> compare(vectors, a, b);
            Arrays.sort(order, cmp);
        }
        final int out = Math.min(limit, n);
        try (BatchBuilder builder = new BatchBuilder(allocator, batch.schema(), out)) {
            for (int i = 0; i < out; i++) {
                builder.appendRow(batch, order[i]);
            }
            return builder.build();
        }
    }

    private int compare(final ColumnVector[] vectors, final int a, final int b) {
        for (int i = 0; i < vectors.length; i++) {
            final ColumnVector v = vectors[i];
            final boolean aNull = v.isNull(a);
            final boolean bNull = v.isNull(b);
            int cmp;
            if (aNull || bNull) {
                // Null sorts as the largest value: last ascending, first descending.
                cmp = Boolean.compare(aNull, bNull);
            } else {
                cmp = compareValues(v, a, b);
            }
            if (cmp != 0) {
                return ascending[i] ? cmp : -cmp;
            }
        }
        return 0;
    }

    private static int compareValues(final ColumnVector v, final int a, final int b) {
        switch (v.type()) {
            case INT32:
                return Integer.compare(((Int32Vector) v).get(a), ((Int32Vector) v).get(b));
            case INT64:
                return Long.compare(((Int64Vector) v).get(a), ((Int64Vector) v).get(b));
            case FLOAT64:
                // + 0.0 turns -0.0 into 0.0: SQL sorts them as equal.
                return Double.compare(((Float64Vector) v).get(a) + 0.0, ((Float64Vector) v).get(b) + 0.0);
            case BOOLEAN:
                return Boolean.compare(((BooleanVector) v).get(a), ((BooleanVector) v).get(b));
            default:
                return ((Utf8Vector) v).compareTo(a, ((Utf8Vector) v).getBytes(b));
        }
    }
}
