package io.sluice.engine.dataset;

import java.nio.charset.StandardCharsets;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * String functions over a UTF8 operand: length (INT64, UTF-16 units), lower, upper, substring (0-based character
 * range, clamped), contains and startsWith (BOOLEAN, byte comparison). Null in, null out. ASCII values take a
 * byte-level path that allocates nothing per row; other values are decoded. Contains and startsWith on a plain column
 * reference read the column's off-heap bytes in place.
 */
final class StringFn extends Expr {
    enum Op {
        LENGTH, LOWER, UPPER, SUBSTRING, CONTAINS, STARTS_WITH
    }

    private final Op op;
    private final Expr input;
    private final String pattern;
    private final int start;
    private final int length;

    StringFn(final Op op, final Expr input, final String pattern, final int start, final int length) {
        this.op = op;
        this.input = input;
        this.pattern = pattern;
        this.start = start;
        this.length = length;
        if ((op == Op.CONTAINS || op == Op.STARTS_WITH) && pattern == null) {
            throw new IllegalArgumentException(op + " needs a non-null pattern on " + input);
        }
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr in = input.bind(schema);
        if (in.type() != ColumnType.UTF8) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " needs a UTF8 operand: " + input + " has type="
                + in.type());
        }
        final ColumnType type = op == Op.LENGTH ? ColumnType.INT64
            : op == Op.CONTAINS || op == Op.STARTS_WITH ? ColumnType.BOOLEAN : ColumnType.UTF8;
        final byte[] needle = pattern == null ? null : pattern.getBytes(StandardCharsets.UTF_8);
        if (type == ColumnType.BOOLEAN && input instanceof ColumnRef) {
            // The common grep shape: match against the off-heap bytes in place instead of copying the column.
            final int index = schema.indexOf(((ColumnRef) input).name());
            final boolean contains = op == Op.CONTAINS;
            final BoundExpr perRow = BoundExpr.predicate(batch -> matchInPlace((Utf8Vector) batch.vector(index), needle), batch -> {
                final Utf8Vector vector = batch.utf8Vector(index);
                final boolean nullable = vector.field().isNullable();
                if (contains) {
                    return nullable ? row -> !vector.isNull(row) && vector.indexOf(row, needle) >= 0
                        : row -> vector.indexOf(row, needle) >= 0;
                }
                return nullable ? row -> !vector.isNull(row) && vector.startsWith(row, needle)
                    : row -> vector.startsWith(row, needle);
            });
            if (!contains || needle.length == 0) {
                return perRow;
            }
            // A filter over a whole batch scans the column's bytes once (a null row has no bytes, so never matches
            // a non-empty needle); a narrower selection tests its rows one by one.
            return BoundExpr.selecting(batch -> matchInPlace((Utf8Vector) batch.vector(index), needle), (batch, candidates) -> {
                if (candidates != null) {
                    return perRow.select(batch, candidates);
                }
                final Utf8Vector vector = batch.utf8Vector(index);
                final int[] rows = new int[vector.rowCount()];
                return SelectionVector.of(rows, vector.rowsContaining(needle, rows));
            });
        }
        return BoundExpr.of(type, batch -> {
            final ColumnValues a = in.eval(batch);
            final ColumnValues out = new ColumnValues(type, a.size);
            for (int row = 0; row < a.size; row++) {
                if (a.isNull(row)) {
                    out.setNull(row);
                    if (type == ColumnType.UTF8) {
                        out.reserveUtf8(row, 0);
                    }
                    continue;
                }
                apply(a, row, out, needle);
            }
            return out;
        });
    }

    /** CONTAINS or STARTS_WITH over every row of {@code vector}, read in place; null in, null out. */
    private ColumnValues matchInPlace(final Utf8Vector vector, final byte[] needle) {
        final int n = vector.rowCount();
        final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, n);
        final boolean nullable = vector.field().isNullable();
        final boolean contains = op == Op.CONTAINS;
        for (int row = 0; row < n; row++) {
            if (nullable && vector.isNull(row)) {
                out.setNull(row);
            } else {
                out.bools[row] = contains ? vector.indexOf(row, needle) >= 0 : vector.startsWith(row, needle);
            }
        }
        return out;
    }

    private void apply(final ColumnValues a, final int row, final ColumnValues out, final byte[] needle) {
        final int from = a.offsets[row];
        final int len = a.utf8Length(row);
        final boolean ascii = isAscii(a.bytes, from, len);
        switch (op) {
            case LENGTH:
                out.longs[row] = ascii ? len : decode(a, row).length();
                break;
            case CONTAINS:
                out.bools[row] = indexOf(a.bytes, from, len, needle) >= 0;
                break;
            case STARTS_WITH:
                out.bools[row] = len >= needle.length && indexOf(a.bytes, from, needle.length, needle) == 0;
                break;
            case LOWER:
            case UPPER:
                if (ascii) {
                    final int at = out.reserveUtf8(row, len);
                    for (int i = 0; i < len; i++) {
                        final byte b = a.bytes[from + i];
                        out.bytes[at + i] = op == Op.LOWER ? toLowerAscii(b) : toUpperAscii(b);
                    }
                } else {
                    final String s = decode(a, row);
                    putString(out, row, op == Op.LOWER ? s.toLowerCase() : s.toUpperCase());
                }
                break;
            default:
                if (ascii) {
                    final int s = Math.min(start, len);
                    final int e = (int) Math.min((long) s + length, len);
                    out.appendUtf8(row, a.bytes, from + s, e - s);
                } else {
                    final String str = decode(a, row);
                    final int s = Math.min(start, str.length());
                    final int e = (int) Math.min((long) s + length, str.length());
                    putString(out, row, str.substring(s, e));
                }
                break;
        }
    }

    private static String decode(final ColumnValues a, final int row) {
        return new String(a.bytes, a.offsets[row], a.utf8Length(row), StandardCharsets.UTF_8);
    }

    private static void putString(final ColumnValues out, final int row, final String s) {
        final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.appendUtf8(row, bytes, 0, bytes.length);
    }

    private static boolean isAscii(final byte[] bytes, final int from, final int len) {
        for (int i = from; i < from + len; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte toLowerAscii(final byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static byte toUpperAscii(final byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
    }

    /** Index of {@code needle} in {@code bytes[from, from + len)} relative to {@code from}, or -1. */
    static int indexOf(final byte[] bytes, final int from, final int len, final byte[] needle) {
        final int last = len - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[from + i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        switch (op) {
            case SUBSTRING:
                return "substring(" + input + ", " + start + ", " + length + ")";
            case CONTAINS:
            case STARTS_WITH:
                return op.name().toLowerCase() + "(" + input + ", '" + pattern + "')";
            default:
                return op.name().toLowerCase() + "(" + input + ")";
        }
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.stringFn(op.name(), input, pattern, start, length);
    }
}
