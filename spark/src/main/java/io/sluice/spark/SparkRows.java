package io.sluice.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Comparing row lists from the two engines as multisets: each value with its Java class, so INT32 1 is not INT64 1. */
final class SparkRows {
    private SparkRows() {
    }

    /** One value with its class; -0.0, 0.0 and NaN stay distinct. */
    static String show(final Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }

    /** The rows in order, each shown value by value. */
    static List<String> ordered(final List<Object[]> rows) {
        final List<String> out = new ArrayList<>(rows.size());
        for (final Object[] row : rows) {
            final String[] values = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                values[c] = show(row[c]);
            }
            out.add(Arrays.toString(values));
        }
        return out;
    }

    /** The rows as a sorted multiset. */
    static List<String> multiset(final List<Object[]> rows) {
        final List<String> out = ordered(rows);
        out.sort(null);
        return out;
    }

    static boolean sameMultiset(final List<Object[]> a, final List<Object[]> b) {
        return multiset(a).equals(multiset(b));
    }
}
