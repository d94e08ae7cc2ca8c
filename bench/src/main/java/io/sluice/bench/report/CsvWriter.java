package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds RFC 4180 CSV text: CRLF line ends, a header row, and fields quoted (with inner quotes doubled) exactly when
 * they hold a comma, a quote, CR or LF. Every row must have as many fields as the header. Not thread-safe.
 */
public final class CsvWriter {
    private static final String CRLF = "\r\n";

    private final int columns;
    private final StringBuilder text = new StringBuilder();
    private int rows;

    /** Starts a table with the given header. */
    public CsvWriter(final List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("csv header must have at least one column");
        }
        this.columns = header.size();
        appendRow(new ArrayList<Object>(header));
    }

    /** Starts a table with the given header. */
    public CsvWriter(final String... header) {
        this(List.of(header));
    }

    /** Appends one row; numbers are written with {@link Locale#ROOT} ({@code 1.5}, never {@code 1,5}), null as empty. */
    public CsvWriter row(final Object... fields) {
        return row(List.of(nullsAsEmpty(fields)));
    }

    /** Appends one row. */
    public CsvWriter row(final List<?> fields) {
        if (fields.size() != columns) {
            throw new IllegalArgumentException("csv row " + (rows + 1) + " has fields=" + fields.size()
                + " but the header has columns=" + columns);
        }
        appendRow(fields);
        rows++;
        return this;
    }

    /** Data rows appended so far (the header not counted). */
    public int rowCount() {
        return rows;
    }

    /** The CSV text, header first. */
    @Override
    public String toString() {
        return text.toString();
    }

    /** One field as RFC 4180 wants it. */
    public static String quote(final String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private void appendRow(final List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(quote(format(fields.get(i))));
        }
        text.append(CRLF);
    }

    private static String format(final Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            final double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    private static Object[] nullsAsEmpty(final Object[] fields) {
        final Object[] copy = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            copy[i] = fields[i] == null ? "" : fields[i];
        }
        return copy;
    }
}
