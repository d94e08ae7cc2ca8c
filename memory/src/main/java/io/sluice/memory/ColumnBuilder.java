package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Appends values to one column's buffers, growing each buffer geometrically (to the next power-of-two size class,
 * so at least doubling): appending n values copies O(n) bytes in total. Single-threaded.
 */
final class ColumnBuilder {
    private final Field field;
    private final ColumnType type;
    private final BufferAllocator allocator;
    private OffHeapBuffer validity;
    private OffHeapBuffer offsets;
    private OffHeapBuffer data;
    private int count;
    private int byteCount;

    ColumnBuilder(final Field field, final BufferAllocator allocator, final int initialRows) {
        this.field = field;
        this.type = field.type();
        this.allocator = allocator;
        try {
            if (field.isNullable()) {
                validity = allocate(bitBytes(initialRows), "validity");
            }
            if (type == ColumnType.UTF8) {
                offsets = allocate((initialRows + 1L) * Integer.BYTES, "offsets");
                data = allocate(Math.min((long) initialRows * 8, BufferAllocator.MAX_SIZE_CLASS), "data");
            } else {
                data = allocate(dataBytes(initialRows), "data");
            }
        } catch (final RuntimeException ex) {
            release();
            throw ex;
        }
    }

    Field field() {
        return field;
    }

    int count() {
        return count;
    }

    /** A buffer of {@code bytes}, or a {@link ColumnCapacityException} naming this column if no buffer is that big. */
    private OffHeapBuffer allocate(final long bytes, final String buffer) {
        if (bytes > BufferAllocator.MAX_SIZE_CLASS) {
            throw new ColumnCapacityException(field.name(), buffer + " would need bytes=" + bytes + " (rows=" + count
                + "), over the largest buffer of " + BufferAllocator.MAX_SIZE_CLASS + " bytes");
        }
        return allocator.allocate(bytes);
    }

    private static long bitBytes(final long rows) {
        return (rows + 7) >>> 3;
    }

    private long dataBytes(final long rows) {
        return type == ColumnType.BOOLEAN ? bitBytes(rows) : rows * type.byteWidth();
    }

    /** Makes room for {@code extra} more rows. */
    private void ensureRows(final int extra) {
        final long rows = (long) count + extra;
        if (rows > Integer.MAX_VALUE - 1) {
            throw new ColumnCapacityException(field.name(), "would exceed max rows: count=" + count + " extra=" + extra);
        }
        if (validity != null) {
            validity = grow(validity, bitBytes(rows), (int) bitBytes(count), "validity");
        }
        if (type == ColumnType.UTF8) {
            offsets = grow(offsets, (rows + 1) * Integer.BYTES, (count + 1) * Integer.BYTES, "offsets");
        } else {
            data = grow(data, dataBytes(rows), (int) dataBytes(count), "data");
        }
    }

    private void ensureBytes(final int extra) {
        final long bytes = (long) byteCount + extra;
        if (bytes > BufferAllocator.MAX_SIZE_CLASS) {
            throw new ColumnCapacityException(field.name(), "UTF8 bytes would exceed " + BufferAllocator.MAX_SIZE_CLASS
                + ": byteCount=" + byteCount + " extra=" + extra);
        }
        data = grow(data, bytes, byteCount, "data");
    }

    private OffHeapBuffer grow(final OffHeapBuffer buffer, final long needed, final int used, final String name) {
        if (needed <= buffer.capacity()) {
            return buffer;
        }
        final OffHeapBuffer bigger = allocate(Math.max(needed, Math.min(2L * buffer.capacity(), BufferAllocator.MAX_SIZE_CLASS)),
            name);
        bigger.unsafeView().putBytes(0, buffer.unsafeView(), 0, used);
        buffer.release();
        return bigger;
    }

    private void markValid(final boolean valid) {
        if (validity != null) {
            writeBit(validity.unsafeView(), count, valid);
        } else if (!valid) {
            throw new IllegalArgumentException("column '" + field.name() + "' is not nullable: null at row " + count);
        }
    }

    private void checkType(final ColumnType expected) {
        if (type != expected) {
            throw new IllegalArgumentException("column '" + field.name() + "' has type=" + type + ", cannot append " + expected);
        }
    }

    void appendNull() {
        ensureRows(1);
        markValid(false);
        // Values under a null stay zero (buffers start zeroed), so bulk readers like sum() can ignore validity.
        if (type == ColumnType.BOOLEAN) {
            writeBit(data.unsafeView(), count, false);
        } else if (type == ColumnType.UTF8) {
            offsets.unsafeView().putInt((count + 1) << 2, byteCount);
        } else {
            data.unsafeView().setMemory(count * type.byteWidth(), type.byteWidth(), (byte) 0);
        }
        count++;
    }

    static void writeBit(final UnsafeBuffer bits, final int row, final boolean value) {
        final int index = row >>> 3;
        final int mask = 1 << (row & 7);
        final byte old = bits.getByte(index);
        bits.putByte(index, (byte) (value ? old | mask : old & ~mask));
    }

    void appendBoolean(final boolean value) {
        checkType(ColumnType.BOOLEAN);
        ensureRows(1);
        markValid(true);
        writeBit(data.unsafeView(), count, value);
        count++;
    }

    void appendInt(final int value) {
        checkType(ColumnType.INT32);
        ensureRows(1);
        markValid(true);
        data.unsafeView().putInt(count << 2, value);
        count++;
    }

    /** Appends {@code values[0, rows)}, non-null: one bulk copy instead of a growth check and a store per value. */
    void appendLongs(final long[] values, final int rows) {
        checkType(ColumnType.INT64);
        if (rows < 0 || rows > values.length) {
            throw new IndexOutOfBoundsException("rows=" + rows + " values length=" + values.length);
        }
        ensureRows(rows);
        if (validity != null) {
            BitRuns.setRange(validity.unsafeView(), count, rows);
        }
        final UnsafeBuffer view = data.unsafeView();
        for (int i = 0; i < rows; i++) {
            view.putLong((count + i) << 3, values[i]);
        }
        count += rows;
    }

    /**
     * Counts {@code rows} more non-null values of this fixed-width column as appended and returns a view of exactly
     * their bytes (value i at byte {@code i * width}, native order) for the caller to write, all of them, before the
     * column is read or appended to again (an append may move the buffer). An empty column takes its buffer without
     * zeroing the part the caller writes; every byte past it still reads as zero.
     */
    UnsafeBuffer appendUnwritten(final int rows) {
        if (type == ColumnType.BOOLEAN || type == ColumnType.UTF8) {
            throw new IllegalArgumentException("column '" + field.name() + "' has type=" + type + ", not a fixed-width type");
        }
        if (rows < 0) {
            throw new IllegalArgumentException("column '" + field.name() + "': rows=" + rows + " must be >= 0");
        }
        final int width = type.byteWidth();
        final long bytes = (long) rows * width;
        if (count == 0 && bytes > data.capacity()) {
            final OffHeapBuffer fresh = allocateUnzeroed(bytes);
            data.release();
            data = fresh;
            data.unsafeView().setMemory((int) bytes, data.capacity() - (int) bytes, (byte) 0);
        }
        ensureRows(rows);
        if (validity != null) {
            BitRuns.setRange(validity.unsafeView(), count, rows);
        }
        final UnsafeBuffer view = new UnsafeBuffer(data.unsafeView(), count * width, (int) bytes);
        count += rows;
        return view;
    }

    /** {@link BufferAllocator#allocateUnzeroed} with {@link #allocate}'s check of the largest buffer. */
    private OffHeapBuffer allocateUnzeroed(final long bytes) {
        if (bytes > BufferAllocator.MAX_SIZE_CLASS) {
            throw new ColumnCapacityException(field.name(), "data would need bytes=" + bytes + ", over the largest buffer of "
                + BufferAllocator.MAX_SIZE_CLASS + " bytes");
        }
        return allocator.allocateUnzeroed(bytes);
    }

    void appendLong(final long value) {
        checkType(ColumnType.INT64);
        ensureRows(1);
        markValid(true);
        data.unsafeView().putLong(count << 3, value);
        count++;
    }

    void appendDouble(final double value) {
        checkType(ColumnType.FLOAT64);
        ensureRows(1);
        markValid(true);
        data.unsafeView().putDouble(count << 3, value);
        count++;
    }

    void appendUtf8(final byte[] src, final int offset, final int length) {
        checkType(ColumnType.UTF8);
        if (offset < 0 || length < 0 || offset > src.length - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " src length=" + src.length);
        }
        ensureRows(1);
        ensureBytes(length);
        markValid(true);
        data.unsafeView().putBytes(byteCount, src, offset, length);
        endUtf8(length);
    }

    /**
     * Appends {@code rows} non-null UTF8 values packed in {@code src}: value {@code i} is
     * {@code src[ends[i - 1], ends[i])} with {@code ends[-1] = 0}. One copy of the bytes and one pass over the
     * offsets for the whole run, instead of a copy per value.
     */
    void appendUtf8Values(final byte[] src, final int[] ends, final int rows) {
        checkType(ColumnType.UTF8);
        final int length = rows == 0 ? 0 : ends[rows - 1];
        if (rows < 0 || rows > ends.length || length < 0 || length > src.length) {
            throw new IndexOutOfBoundsException("rows=" + rows + " ends length=" + ends.length + " bytes=" + length
                + " src length=" + src.length);
        }
        ensureRows(rows);
        ensureBytes(length);
        if (validity != null) {
            BitRuns.setRange(validity.unsafeView(), count, rows);
        }
        data.unsafeView().putBytes(byteCount, src, 0, length);
        final UnsafeBuffer offsetView = offsets.unsafeView();
        int previous = 0;
        for (int i = 0; i < rows; i++) {
            final int end = ends[i];
            if (end < previous) {
                throw new IllegalArgumentException("ends[" + i + "]=" + end + " is below ends[" + (i - 1) + "]=" + previous);
            }
            offsetView.putInt((count + i + 1) << 2, byteCount + end);
            previous = end;
        }
        byteCount += length;
        count += rows;
    }

    private void appendUtf8(final DirectBuffer src, final int offset, final int length) {
        ensureRows(1);
        ensureBytes(length);
        markValid(true);
        data.unsafeView().putBytes(byteCount, src, offset, length);
        endUtf8(length);
    }

    private void endUtf8(final int length) {
        byteCount += length;
        offsets.unsafeView().putInt((count + 1) << 2, byteCount);
        count++;
    }

    /** Appends row {@code row} of {@code source}, which must have this column's type. */
    void appendFrom(final AbstractColumnVector source, final int row) {
        checkType(source.type());
        if (source.isNull(row)) {
            appendNull();
            return;
        }
        switch (type) {
            case BOOLEAN:
                appendBoolean(((BooleanVector) source).get(row));
                break;
            case INT32:
                appendInt(((Int32Vector) source).get(row));
                break;
            case INT64:
                appendLong(((Int64Vector) source).get(row));
                break;
            case FLOAT64:
                appendDouble(((Float64Vector) source).get(row));
                break;
            case UTF8:
                final Utf8ColumnVector utf8 = (Utf8ColumnVector) source;
                final int absolute = utf8.rowOffset + row;
                final UnsafeBuffer srcOffsets = utf8.column.offsets.unsafeView();
                final int start = srcOffsets.getInt(absolute << 2);
                appendUtf8(utf8.column.data.unsafeView(), start, srcOffsets.getInt((absolute + 1) << 2) - start);
                break;
            default:
                throw new IllegalArgumentException("unsupported column type=" + type);
        }
    }

    /** Appends every row of {@code source}, which must have this column's type. */
    void appendAll(final AbstractColumnVector source) {
        appendRange(source, 0, source.rowCount());
    }

    /**
     * Appends rows {@code [from, from + rows)} of {@code source} (same type; nulls kept) with one bulk copy of the
     * values: UTF8 offsets are rebased, the bytes between them copied at once.
     */
    void appendRange(final AbstractColumnVector source, final int from, final int rows) {
        checkType(source.type());
        source.checkLive();
        if (from < 0 || rows < 0 || from > source.rowCount() - rows) {
            throw new IndexOutOfBoundsException("column '" + field.name() + "' source range from=" + from + " rows=" + rows
                + " out of range [0, " + source.rowCount() + ")");
        }
        if (validity == null && source.column.validity != null) {
            // Check first, so a rejected append leaves this column unchanged (a source without validity has no nulls).
            for (int i = 0; i < rows; i++) {
                if (source.isNull(from + i)) {
                    throw new IllegalArgumentException("column '" + field.name() + "' is not nullable: null at source row "
                        + (from + i));
                }
            }
        }
        ensureRows(rows);
        final int first = source.rowOffset + from;
        switch (type) {
            case BOOLEAN: {
                final BooleanVector bools = (BooleanVector) source;
                final UnsafeBuffer bits = data.unsafeView();
                for (int i = 0; i < rows; i++) {
                    writeBit(bits, count + i, bools.get(from + i));
                }
                break;
            }
            case INT32:
            case INT64:
            case FLOAT64: {
                final int width = type.byteWidth();
                data.unsafeView().putBytes(count * width, source.column.data.unsafeView(), first * width, rows * width);
                break;
            }
            case UTF8: {
                final UnsafeBuffer srcOffsets = source.column.offsets.unsafeView();
                final int srcStart = srcOffsets.getInt(first << 2);
                final int length = srcOffsets.getInt((first + rows) << 2) - srcStart;
                ensureBytes(length);
                data.unsafeView().putBytes(byteCount, source.column.data.unsafeView(), srcStart, length);
                // both ends of the source's offsets were read checked above, and ensureRows made room for ours
                ColumnGather.rebasedOffsets(source.column.offsets.address() + ((long) first << 2),
                    offsets.address() + ((long) count << 2), rows, byteCount - srcStart);
                byteCount += length;
                break;
            }
            default:
                throw new IllegalArgumentException("unsupported column type=" + type);
        }
        if (validity != null) {
            ColumnGather.validityRange(source, from, rows, validity.unsafeView(), count);
        }
        count += rows;
    }

    /**
     * Appends {@code source}'s values at rows {@code rows[0, n)} in that order (a row may repeat); a negative row
     * appends null. Room is made once for the whole run and the values are stored by a type-specialized loop
     * ({@link ColumnGather}), instead of a growth check, a type switch and a null test per value.
     */
    void appendGathered(final AbstractColumnVector source, final int[] rows, final int n) {
        checkType(source.type());
        source.checkLive();
        final boolean anyNull = ColumnGather.checkRows(field, source, rows, n);
        if (anyNull && validity == null) {
            throw new IllegalArgumentException("column '" + field.name() + "' is not nullable: a gathered row is null");
        }
        ensureRows(n);
        switch (type) {
            case BOOLEAN:
                ColumnGather.bits(source, rows, n, anyNull, data.unsafeView(), count);
                break;
            case INT32:
            case INT64:
            case FLOAT64:
                ColumnGather.fixedWidth(source, rows, n, anyNull, data.unsafeView(), count);
                break;
            case UTF8:
                ensureBytes(ColumnGather.utf8Bytes(field, source, rows, n, anyNull));
                byteCount = ColumnGather.utf8(source, rows, n, anyNull, data.unsafeView(), byteCount, offsets.unsafeView(), count);
                break;
            default:
                throw new IllegalArgumentException("unsupported column type=" + type);
        }
        if (validity != null) {
            ColumnGather.validity(source, rows, n, anyNull, validity.unsafeView(), count);
        }
        count += n;
    }

    /** Hands the buffers to a batch of {@code rows} rows; this builder holds nothing afterwards. */
    ColumnData finish() {
        final ColumnData column = new ColumnData(field, validity, offsets, data);
        validity = null;
        offsets = null;
        data = null;
        return column;
    }

    /** Releases whatever buffers this builder still holds. */
    void release() {
        if (validity != null) {
            validity.release();
            validity = null;
        }
        if (offsets != null) {
            offsets.release();
            offsets = null;
        }
        if (data != null) {
            data.release();
            data = null;
        }
    }
}
