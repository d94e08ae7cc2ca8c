package io.sluice.engine.dataset;

import java.util.Arrays;

import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BooleanVector;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;

/**
 * One evaluated column of an expression over one batch, on the heap: INT32/INT64 in {@code longs}, FLOAT64 in
 * {@code doubles}, BOOLEAN in {@code bools}, UTF8 as {@code bytes} with {@code offsets} (size + 1), and a null
 * flag per row ({@code nulls}, null when no row is null). A null row holds 0 / false / empty. Single-threaded.
 */
final class ColumnValues {
    final ColumnType type;
    final int size;
    long[] longs;
    double[] doubles;
    boolean[] bools;
    byte[] bytes;
    int[] offsets;
    boolean[] nulls;

    ColumnValues(final ColumnType type, final int size) {
        this.type = type;
        this.size = size;
        switch (type) {
            case INT32:
            case INT64:
                longs = new long[size];
                break;
            case FLOAT64:
                doubles = new double[size];
                break;
            case BOOLEAN:
                bools = new boolean[size];
                break;
            case UTF8:
                offsets = new int[size + 1];
                bytes = new byte[Math.max(16, size * 8)];
                break;
            default:
                throw new IllegalArgumentException("unsupported type=" + type);
        }
    }

    boolean isNull(final int row) {
        return nulls != null && nulls[row];
    }

    void setNull(final int row) {
        if (nulls == null) {
            nulls = new boolean[size];
        }
        nulls[row] = true;
    }

    /** For UTF8: appends the next row's bytes (rows must be appended in order). */
    void appendUtf8(final int row, final byte[] src, final int from, final int length) {
        final int start = offsets[row];
        ensureBytes(start + length);
        System.arraycopy(src, from, bytes, start, length);
        offsets[row + 1] = start + length;
    }

    /** For UTF8: reserves {@code length} bytes for row {@code row} and returns their start. */
    int reserveUtf8(final int row, final int length) {
        final int start = offsets[row];
        ensureBytes(start + length);
        offsets[row + 1] = start + length;
        return start;
    }

    int utf8Length(final int row) {
        return offsets[row + 1] - offsets[row];
    }

    private void ensureBytes(final int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }

    /** Numeric value as a double (INT32, INT64 or FLOAT64). */
    double asDouble(final int row) {
        return doubles != null ? doubles[row] : longs[row];
    }

    /**
     * Copies row {@code row} of {@code from} into the same row of {@code to} (rows appended in order for UTF8),
     * converting an integer value to FLOAT64 when {@code to} is FLOAT64.
     */
    static void copyRow(final ColumnValues from, final int row, final ColumnValues to) {
        if (from.isNull(row)) {
            to.setNull(row);
            if (to.type == ColumnType.UTF8) {
                to.reserveUtf8(row, 0);
            }
            return;
        }
        switch (to.type) {
            case INT32:
            case INT64:
                to.longs[row] = from.longs[row];
                break;
            case FLOAT64:
                to.doubles[row] = from.asDouble(row);
                break;
            case BOOLEAN:
                to.bools[row] = from.bools[row];
                break;
            default:
                to.appendUtf8(row, from.bytes, from.offsets[row], from.utf8Length(row));
                break;
        }
    }

    /** Copies every row of {@code vector} to the heap. */
    static ColumnValues of(final ColumnVector vector) {
        final int n = vector.rowCount();
        final ColumnValues out = new ColumnValues(vector.type(), n);
        switch (vector.type()) {
            case INT32: {
                final Int32Vector v = (Int32Vector) vector;
                for (int r = 0; r < n; r++) {
                    out.longs[r] = v.get(r);
                }
                break;
            }
            case INT64: {
                final Int64Vector v = (Int64Vector) vector;
                for (int r = 0; r < n; r++) {
                    out.longs[r] = v.get(r);
                }
                break;
            }
            case FLOAT64: {
                final Float64Vector v = (Float64Vector) vector;
                for (int r = 0; r < n; r++) {
                    out.doubles[r] = v.get(r);
                }
                break;
            }
            case BOOLEAN: {
                final BooleanVector v = (BooleanVector) vector;
                for (int r = 0; r < n; r++) {
                    out.bools[r] = v.get(r);
                }
                break;
            }
            case UTF8: {
                final Utf8Vector v = (Utf8Vector) vector;
                for (int r = 0; r < n; r++) {
                    final int start = out.reserveUtf8(r, v.length(r));
                    v.getBytes(r, out.bytes, start);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unsupported type=" + vector.type());
        }
        if (vector.field().isNullable()) {
            for (int r = 0; r < n; r++) {
                if (vector.isNull(r)) {
                    out.setNull(r);
                }
            }
        }
        return out;
    }

    /** Sets row {@code row}'s value (or null) in column {@code column} of {@code builder}. */
    void appendTo(final BatchBuilder builder, final int column, final int row) {
        if (isNull(row)) {
            builder.setNull(column);
            return;
        }
        switch (type) {
            case INT32:
                builder.setInt32(column, (int) longs[row]);
                break;
            case INT64:
                builder.setInt64(column, longs[row]);
                break;
            case FLOAT64:
                builder.setFloat64(column, doubles[row]);
                break;
            case BOOLEAN:
                builder.setBoolean(column, bools[row]);
                break;
            case UTF8:
                builder.setUtf8(column, bytes, offsets[row], utf8Length(row));
                break;
            default:
                throw new IllegalArgumentException("unsupported type=" + type);
        }
    }
}
