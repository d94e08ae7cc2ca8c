package io.sluice.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A GitHub-flavoured markdown table with columns padded to equal width. Numeric columns are right-aligned and their
 * numbers formatted by {@link #formatNumber(double)}; text cells have {@code |} escaped. Not thread-safe.
 */
public final class MarkdownTable {
    /** How a column is aligned and formatted. */
    public enum Align { LEFT, RIGHT }

    private final List<String> header;
    private final List<Align> align;
    private final List<List<String>> rows = new ArrayList<>();

    private MarkdownTable(final List<String> header, final List<Align> align) {
        this.header = List.copyOf(header);
        this.align = List.copyOf(align);
    }

    /** A table whose columns are all left-aligned until {@link #rightAligned} says otherwise. */
    public static MarkdownTable withHeader(final String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("markdown table needs at least one column");
        }
        final List<Align> align = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            align.add(Align.LEFT);
        }
        return new MarkdownTable(List.of(header), align);
    }

    /** Returns a copy with the given columns (0-based) right-aligned, as numbers read best. */
    public MarkdownTable rightAligned(final int... columns) {
        final List<Align> copy = new ArrayList<>(align);
        for (final int c : columns) {
            if (c < 0 || c >= header.size()) {
                throw new IllegalArgumentException("column=" + c + " out of range [0, " + header.size() + ")");
            }
            copy.set(c, Align.RIGHT);
        }
        final MarkdownTable table = new MarkdownTable(header, copy);
        table.rows.addAll(rows);
        return table;
    }

    /** Appends a row: numbers go through {@link #formatNumber(double)}, null becomes an empty cell. */
    public MarkdownTable row(final Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("markdown row " + (rows.size() + 1) + " has cells=" + cells.length
                + " but the header has columns=" + header.size());
        }
        final List<String> row = new ArrayList<>(cells.length);
        for (final Object cell : cells) {
            row.add(cell(cell));
        }
        rows.add(row);
        return this;
    }

    /** Data rows so far. */
    public int rowCount() {
        return rows.size();
    }

    /** The table, one line per row, each ending with a newline. */
    public String render() {
        final int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, escape(header.get(c)).length());
            for (final List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        final StringBuilder out = new StringBuilder();
        final List<String> escapedHeader = new ArrayList<>();
        for (final String h : header) {
            escapedHeader.add(escape(h));
        }
        line(out, escapedHeader, width);
        out.append('|');
        for (int c = 0; c < width.length; c++) {
            out.append(' ');
            if (align.get(c) == Align.RIGHT) {
                out.append("-".repeat(width[c] - 1)).append(':');
            } else {
                out.append("-".repeat(width[c]));
            }
            out.append(" |");
        }
        out.append('\n');
        for (final List<String> row : rows) {
            line(out, row, width);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /**
     * Formats a measured figure for reading: three significant digits for small values, no digits after the point
     * for values of 1000 or more (with {@code ,} grouping), {@code n/a} for NaN and infinities. Locale-independent.
     */
    public static String formatNumber(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        final double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (abs == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private void line(final StringBuilder out, final List<String> cells, final int[] width) {
        out.append('|');
        for (int c = 0; c < width.length; c++) {
            final String cell = cells.get(c);
            final String pad = " ".repeat(width[c] - cell.length());
            out.append(' ');
            if (align.get(c) == Align.RIGHT) {
                out.append(pad).append(cell);
            } else {
                out.append(cell).append(pad);
            }
            out.append(" |");
        }
        out.append('\n');
    }

    private static String cell(final Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            return formatNumber(((Number) value).doubleValue());
        }
        return escape(String.valueOf(value));
    }

    private static String escape(final String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
