package io.sluice.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Result rows as comparable strings: numbers by value (9 significant digits unless integral), strings quoted. */
final class SqlResults {
    private SqlResults() {
    }

    static String value(final Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number) {
            final double d = ((Number) v).doubleValue();
            final boolean integral = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger
                || v instanceof BigDecimal && ((BigDecimal) v).stripTrailingZeros().scale() <= 0
                || d == Math.rint(d) && Math.abs(d) < 1e15;
            if (integral) {
                return new BigDecimal(v.toString()).toBigInteger().toString();
            }
            return String.format(Locale.ROOT, "%.9g", d);
        }
        if (v instanceof String) {
            return "'" + v + "'";
        }
        return String.valueOf(v);
    }

    static List<String> rows(final List<Object[]> rows, final boolean ordered) {
        final List<String> out = new ArrayList<>();
        for (final Object[] row : rows) {
            final StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < row.length; i++) {
                sb.append(i > 0 ? ", " : "").append(value(row[i]));
            }
            out.add(sb.append(']').toString());
        }
        if (!ordered) {
            out.sort(null);
        }
        return out;
    }

    static List<Object[]> duck(final Connection duck, final String query) throws SQLException {
        final List<Object[]> rows = new ArrayList<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(query)) {
            final int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                final Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
