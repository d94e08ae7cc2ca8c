package io.sluice.memory;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The typed loops of {@link ColumnBuilder#appendGathered}: copy a column's values at a vector of row indexes (a
 * negative index is null) into a builder's buffers, which the caller has already grown for the whole run. Values
 * under a null are written as zero, as every builder path leaves them.
 */
final class ColumnGather {
    private ColumnGather() {
    }

    /** Throws if an index is past the source; returns whether any gathered value is null. */
    static boolean checkRows(final Field field, final AbstractColumnVector source, final int[] rows, final int n) {
        if (n < 0 || n > rows.length) {
            throw new IndexOutOfBoundsException("column '" + field.name() + "' gather n=" + n + " rows length=" + rows.length);
        }
        final int limit = source.rowCount();
        boolean anyNull = false;
        for (int i = 0; i < n; i++) {
            final int row = rows[i];
            if (row >= limit) {
                throw new IndexOutOfBoundsException("column '" + field.name() + "' gathered row=" + row + " (index " + i
                    + ") out of source range [0, " + limit + ")");
            }
            anyNull |= row < 0 || source.isNull(row);
        }
        return anyNull;
    }

    /**
     * Offsets {@code 1..rows} of a UTF8 run at {@code from} (absolute address of the run's offset 0) to {@code to}, each
     * plus {@code shift}: the run's values appended after other bytes. Unchecked loads and stores: the caller has
     * checked both ends of the source and made room for the target.
     */
    static void rebasedOffsets(final long from, final long to, final int rows, final int shift) {
        for (int i = 1; i <= rows; i++) {
            UnsafeApi.putInt(to + ((long) i << 2), UnsafeApi.getInt(from + ((long) i << 2)) + shift);
        }
    }

    /**
     * Validity bits {@code [at, at + rows)} of {@code out} from source rows {@code [from, from + rows)}: all set for a
     * source without validity, else the source's bits, whole bytes copied at once where both runs start on a byte.
     */
    static void validityRange(final AbstractColumnVector source, final int from, final int rows, final UnsafeBuffer out,
                              final int at) {
        source.checkRange(from, rows);
        final UnsafeBuffer bits = source.column.validity == null ? null : source.column.validity.unsafeView();
        final int first = source.rowOffset + from;
        if (bits == null) {
            BitRuns.setRange(out, at, rows);
            return;
        }
        int i = 0;
        if (((first | at) & 7) == 0) {
            i = rows & ~7;
            out.putBytes(at >>> 3, bits, first >>> 3, i >>> 3);
        }
        for (; i < rows; i++) {
            ColumnBuilder.writeBit(out, at + i, AbstractColumnVector.bit(bits, first + i));
        }
    }

    private static boolean absent(final AbstractColumnVector source, final int row, final boolean anyNull) {
        return row < 0 || anyNull && source.isNull(row);
    }

    static void bits(final AbstractColumnVector source, final int[] rows, final int n, final boolean anyNull,
                     final UnsafeBuffer out, final int at) {
        final BooleanVector bools = (BooleanVector) source;
        for (int i = 0; i < n; i++) {
            ColumnBuilder.writeBit(out, at + i, !absent(source, rows[i], anyNull) && bools.get(rows[i]));
        }
    }

    static void validity(final AbstractColumnVector source, final int[] rows, final int n, final boolean anyNull,
                         final UnsafeBuffer out, final int at) {
        for (int i = 0; i < n; i++) {
            ColumnBuilder.writeBit(out, at + i, !absent(source, rows[i], anyNull));
        }
    }

    /** INT32 as 4-byte, INT64 and FLOAT64 as 8-byte values; {@code at} is the first destination row. */
    static void fixedWidth(final AbstractColumnVector source, final int[] rows, final int n, final boolean anyNull,
                           final UnsafeBuffer out, final int at) {
        final UnsafeBuffer src = source.column.data.unsafeView();
        final int base = source.rowOffset;
        if (source.type().byteWidth() == Integer.BYTES) {
            for (int i = 0; i < n; i++) {
                final int row = rows[i];
                out.putInt((at + i) << 2, absent(source, row, anyNull) ? 0 : src.getInt((base + row) << 2));
            }
        } else {
            for (int i = 0; i < n; i++) {
                final int row = rows[i];
                out.putLong((at + i) << 3, absent(source, row, anyNull) ? 0L : src.getLong((base + row) << 3));
            }
        }
    }

    /** The UTF8 bytes the gathered values need; throws naming the column if that is more than one buffer can hold. */
    static int utf8Bytes(final Field field, final AbstractColumnVector source, final int[] rows, final int n,
                         final boolean anyNull) {
        final UnsafeBuffer offsets = source.column.offsets.unsafeView();
        final int base = source.rowOffset;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            final int row = rows[i];
            if (!absent(source, row, anyNull)) {
                bytes += offsets.getInt((base + row + 1) << 2) - offsets.getInt((base + row) << 2);
            }
        }
        if (bytes > BufferAllocator.MAX_SIZE_CLASS) {
            throw new ColumnCapacityException(field.name(), "gathered UTF8 bytes=" + bytes + " exceed " + BufferAllocator.MAX_SIZE_CLASS);
        }
        return (int) bytes;
    }

    /**
     * Copies the values' bytes from {@code byteAt} on and writes the offsets of destination rows {@code at + 1} to
     * {@code at + n}; returns the new byte count.
     */
    static int utf8(final AbstractColumnVector source, final int[] rows, final int n, final boolean anyNull,
                    final UnsafeBuffer bytesOut, final int byteAt, final UnsafeBuffer offsetsOut, final int at) {
        final UnsafeBuffer offsets = source.column.offsets.unsafeView();
        final UnsafeBuffer bytes = source.column.data.unsafeView();
        final int base = source.rowOffset;
        int end = byteAt;
        for (int i = 0; i < n; i++) {
            final int row = rows[i];
            if (!absent(source, row, anyNull)) {
                final int start = offsets.getInt((base + row) << 2);
                final int length = offsets.getInt((base + row + 1) << 2) - start;
                bytesOut.putBytes(end, bytes, start, length);
                end += length;
            }
            offsetsOut.putInt((at + i + 1) << 2, end);
        }
        return end;
    }
}
