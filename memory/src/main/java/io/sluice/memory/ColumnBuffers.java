package io.sluice.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raw access to the buffers behind a batch's columns, for codecs of foreign columnar formats (Arrow IPC) that move
 * whole buffers instead of values.
 *
 * <p>Reading: the views are read-only, little-endian, span the whole buffer ({@code rowOffset(..)} says where the
 * batch's row 0 sits in them: a slice shares its parent's buffers) and are valid only while the batch is retained.
 * Building: {@link #wrap} seals caller-filled buffers into a batch after checking that they are large enough and, for
 * UTF8, that the offsets are ordered and inside the data, so a wrapped batch never reads outside its buffers.
 */
public final class ColumnBuffers {
    private ColumnBuffers() {
    }

    private static ColumnData column(final Batch batch, final int column) {
        return batch.columnVector(column).column;
    }

    /** Where row 0 of {@code batch} sits in column {@code column}'s buffers (non-zero for slices). */
    public static int rowOffset(final Batch batch, final int column) {
        return batch.columnVector(column).rowOffset;
    }

    /** The validity bitmap (bit set = value present), or null when the field is not nullable. */
    public static ByteBuffer validity(final Batch batch, final int column) {
        return view(column(batch, column).validity);
    }

    /** The UTF8 offsets (int32, absolute into {@link #data}), or null for other types. */
    public static ByteBuffer offsets(final Batch batch, final int column) {
        return view(column(batch, column).offsets);
    }

    /** The values: fixed width, bit-packed for BOOLEAN, bytes for UTF8. */
    public static ByteBuffer data(final Batch batch, final int column) {
        return view(column(batch, column).data);
    }

    private static ByteBuffer view(final OffHeapBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        return buffer.alignedSlab().asReadOnlyBuffer().clear().limit(buffer.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A sealed batch of {@code rows} rows over the given buffers, one entry per field of {@code schema}: validity for
     * nullable fields only (bit set = present), offsets for UTF8 only ({@code rows + 1} int32s, non-decreasing,
     * non-negative, the last within the data), data always. Values under a null must be zero (UTF8: zero length),
     * as every builder leaves them. On success the batch owns the buffers; on an
     * {@link IllegalArgumentException} the caller still owns them.
     */
    public static Batch wrap(final Schema schema, final int rows, final OffHeapBuffer[] validity, final OffHeapBuffer[] offsets,
                             final OffHeapBuffer[] data) {
        final int fields = schema.fieldCount();
        if (rows < 0 || validity.length != fields || offsets.length != fields || data.length != fields) {
            throw new IllegalArgumentException("rows=" + rows + " buffers validity=" + validity.length + " offsets=" + offsets.length
                + " data=" + data.length + " for fieldCount=" + fields);
        }
        final ColumnData[] columns = new ColumnData[fields];
        for (int c = 0; c < fields; c++) {
            final Field field = schema.field(c);
            checkColumn(field, rows, validity[c], offsets[c], data[c]);
            columns[c] = new ColumnData(field, validity[c], offsets[c], data[c]);
        }
        return new Batch(schema, rows, columns);
    }

    private static void checkColumn(final Field field, final int rows, final OffHeapBuffer validity, final OffHeapBuffer offsets,
                                    final OffHeapBuffer data) {
        final String name = "column '" + field.name() + "' ";
        if (data == null || (validity != null) != field.isNullable() || (offsets != null) != (field.type() == ColumnType.UTF8)) {
            throw new IllegalArgumentException(name + field + ": buffers " + Arrays.asList(validity, offsets, data)
                + " do not match the field (validity iff nullable, offsets iff UTF8, data always)");
        }
        for (final OffHeapBuffer buffer : new OffHeapBuffer[] {validity, offsets, data}) {
            if (buffer != null && buffer.isReleased()) {
                throw new IllegalArgumentException(name + "buffer " + buffer + " is released");
            }
        }
        final long bitmap = BatchFileDescriptor.bitmapLength(rows);
        if (validity != null && validity.capacity() < bitmap) {
            throw new IllegalArgumentException(name + "validity capacity=" + validity.capacity() + " below " + bitmap
                + " for rows=" + rows);
        }
        if (field.type() != ColumnType.UTF8) {
            final long needed = BatchFileDescriptor.fixedDataLength(field, rows);
            if (data.capacity() < needed) {
                throw new IllegalArgumentException(name + "data capacity=" + data.capacity() + " below " + needed + " for rows=" + rows);
            }
            return;
        }
        if (offsets.capacity() < (rows + 1L) * Integer.BYTES) {
            throw new IllegalArgumentException(name + "offsets capacity=" + offsets.capacity() + " below " + (rows + 1L) * Integer.BYTES
                + " for rows=" + rows);
        }
        final UnsafeBuffer view = offsets.unsafeView();
        final int first = view.getInt(0);
        if (first < 0) {
            throw new IllegalArgumentException(name + "offset row 0=" + first + " is negative");
        }
        final int bad = firstDecreasingOffset(view, rows);
        if (bad > 0) {
            throw new IllegalArgumentException(name + "offset row " + bad + "=" + view.getInt(bad << 2) + " below previous="
                + view.getInt((bad - 1) << 2));
        }
        if (view.getInt(rows << 2) > data.capacity()) {
            throw new IllegalArgumentException(name + "last offset=" + view.getInt(rows << 2) + " past data capacity="
                + data.capacity());
        }
    }

    /**
     * The first row {@code r} in {@code [1, rows]} whose int32 offset (at byte {@code 4 r}) is below the one before it,
     * or -1 when the {@code rows + 1} offsets never decrease. The one loop every reader of UTF8 offsets checks with.
     */
    public static int firstDecreasingOffset(final DirectBuffer offsets, final int rows) {
        int previous = offsets.getInt(0);
        for (int row = 1; row <= rows; row++) {
            final int offset = offsets.getInt(row << 2);
            if (offset < previous) {
                return row;
            }
            previous = offset;
        }
        return -1;
    }
}
