package io.sluice.memory.arrow;

import io.sluice.memory.Batch;
import io.sluice.memory.BitRuns;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * Turns one record batch message into a Sluice batch. Checks every count, length and offset of the metadata against
 * the schema and the body before reading a byte of the body; then, after reading, the UTF8 offsets and the null
 * counts. Values under nulls are zeroed (UTF8 nulls made empty), as Sluice's vectors expect.
 */
final class RecordBatchLoader {
    private final String source;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final FieldNode node = new FieldNode();
    private final org.apache.arrow.flatbuf.Buffer buffer = new org.apache.arrow.flatbuf.Buffer();

    RecordBatchLoader(final String source, final Schema schema, final BufferAllocator allocator) {
        this.source = source;
        this.schema = schema;
        this.allocator = allocator;
    }

    private ArrowFormatException error(final long offset, final String problem) {
        return new ArrowFormatException(source, offset, problem);
    }

    /**
     * The batch of {@code batch}, whose metadata starts at {@code metadataAt} and whose body is {@code bodyLength} bytes
     * at {@code bodyAt} of {@code input}.
     */
    Batch load(final Message message, final long metadataAt, final IpcInput input, final long bodyAt, final long bodyLength) {
        final int fields = schema.fieldCount();
        final long[][] spans = new long[fields][];
        final long[] nulls = new long[fields];
        final int rows;
        try {
            final RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
            if (batch == null) {
                throw error(metadataAt, "record batch message without a record batch");
            }
            rows = readMetadata(batch, metadataAt, bodyLength, spans, nulls);
        } catch (final ArrowFormatException ex) {
            throw ex;
        } catch (final RuntimeException ex) {
            // Flatbuffer accessors follow offsets lazily: a corrupt one fails with a bounds or decoding exception.
            throw error(metadataAt, "corrupt record batch flatbuffer: " + ex);
        }
        try (IpcInput.Body body = input.body(bodyAt, bodyLength, allocator)) {
            return read(rows, spans, nulls, body, bodyAt);
        }
    }

    /** Checks the metadata against the schema and the body; fills each column's buffer spans and null count. */
    private int readMetadata(final RecordBatch batch, final long metadataAt, final long bodyLength, final long[][] spans,
                             final long[] nulls) {
        final int fields = schema.fieldCount();
        if (batch.compression() != null) {
            throw error(metadataAt, "compressed record batch bodies are not supported");
        }
        if (batch.variadicBufferCountsLength() != 0) {
            throw error(metadataAt, "variadic buffers are not supported");
        }
        final long length = batch.length();
        if (length < 0 || length > Integer.MAX_VALUE - 1) {
            throw error(metadataAt, "record batch length=" + length + " out of range [0, " + (Integer.MAX_VALUE - 1) + "]");
        }
        final int rows = (int) length;
        final int expectedBuffers = ArrowIpcDescriptor.bufferCount(schema.fields());
        if (batch.nodesLength() != fields || batch.buffersLength() != expectedBuffers) {
            throw error(metadataAt, "record batch has nodes=" + batch.nodesLength() + " buffers=" + batch.buffersLength()
                + " but the schema's " + fields + " columns need nodes=" + fields + " buffers=" + expectedBuffers);
        }
        int b = 0;
        for (int c = 0; c < fields; c++) {
            final Field field = schema.field(c);
            batch.nodes(node, c);
            if (node.length() != length || node.nullCount() < 0 || node.nullCount() > length) {
                throw error(metadataAt, "column '" + field.name() + "' node length=" + node.length() + " nullCount="
                    + node.nullCount() + " does not match record batch length=" + length);
            }
            if (!field.isNullable() && node.nullCount() != 0) {
                throw error(metadataAt, "column '" + field.name() + "' is not nullable but has nullCount=" + node.nullCount());
            }
            nulls[c] = node.nullCount();
            final int count = ArrowIpcDescriptor.bufferCount(field.type());
            spans[c] = new long[count * 2];
            for (int i = 0; i < count; i++, b++) {
                batch.buffers(buffer, b);
                final long offset = buffer.offset();
                final long size = buffer.length();
                if (offset < 0 || size < 0 || offset > bodyLength - size) {
                    throw error(metadataAt, "column '" + field.name() + "' buffer " + i + " offset=" + offset + " length=" + size
                        + " lies outside the body of length=" + bodyLength);
                }
                spans[c][i * 2] = offset;
                spans[c][i * 2 + 1] = size;
            }
            checkLengths(field, rows, nulls[c], spans[c], metadataAt);
        }
        return rows;
    }

    private void checkLengths(final Field field, final int rows, final long nulls, final long[] span, final long at) {
        final long bitmap = ArrowIpcDescriptor.bitmapLength(rows);
        final long validity = span[1];
        if (nulls > 0 && validity < bitmap || validity != 0 && validity < bitmap) {
            throw error(at, "column '" + field.name() + "' validity length=" + validity + " too short for rows=" + rows
                + " (nullCount=" + nulls + ")");
        }
        final long needed;
        final String what;
        switch (field.type()) {
            case BOOLEAN:
                needed = bitmap;
                what = "values";
                break;
            case UTF8:
                needed = rows == 0 && span[3] == 0 ? 0 : (rows + 1L) * Integer.BYTES;
                what = "offsets";
                break;
            default:
                needed = (long) rows * field.type().byteWidth();
                what = "values";
                break;
        }
        if (needed > BufferAllocator.MAX_SIZE_CLASS) {
            throw error(at, "column '" + field.name() + "' " + what + " of rows=" + rows + " need " + needed
                + " bytes, more than the largest buffer " + BufferAllocator.MAX_SIZE_CLASS);
        }
        if (span[3] < needed) {
            throw error(at, "column '" + field.name() + "' " + what + " length=" + span[3] + " too short for rows=" + rows
                + " (needs " + needed + ")");
        }
        if (field.type() == ColumnType.UTF8 && span[5] > BufferAllocator.MAX_SIZE_CLASS) {
            throw error(at, "column '" + field.name() + "' data length=" + span[5] + " exceeds the largest buffer "
                + BufferAllocator.MAX_SIZE_CLASS);
        }
    }

    private Batch read(final int rows, final long[][] spans, final long[] nulls, final IpcInput.Body body, final long bodyAt) {
        final int fields = schema.fieldCount();
        final OffHeapBuffer[] validity = new OffHeapBuffer[fields];
        final OffHeapBuffer[] offsets = new OffHeapBuffer[fields];
        final OffHeapBuffer[] data = new OffHeapBuffer[fields];
        try {
            for (int c = 0; c < fields; c++) {
                readColumn(c, rows, spans[c], nulls[c], body, bodyAt, validity, offsets, data);
            }
            return ColumnBuffers.wrap(schema, rows, validity, offsets, data);
        } catch (final RuntimeException ex) {
            for (final OffHeapBuffer[] buffers : new OffHeapBuffer[][] {validity, offsets, data}) {
                for (final OffHeapBuffer buffer : buffers) {
                    if (buffer != null) {
                        buffer.release();
                    }
                }
            }
            throw ex;
        }
    }

    private void readColumn(final int c, final int rows, final long[] span, final long nulls, final IpcInput.Body body,
                            final long bodyAt, final OffHeapBuffer[] validity, final OffHeapBuffer[] offsets,
                            final OffHeapBuffer[] data) {
        final Field field = schema.field(c);
        final int bitmap = (int) ArrowIpcDescriptor.bitmapLength(rows);
        if (field.isNullable()) {
            validity[c] = allocator.allocate(bitmap);
            if (nulls == 0) {
                BitRuns.setWholeBytes(validity[c].buffer(), rows);
            } else {
                body.copy(span[0], bitmap, validity[c]);
                final int present = Bitmaps.countSet((UnsafeBuffer) validity[c].buffer(), 0, rows);
                if (rows - present != nulls) {
                    throw error(bodyAt + span[0], "column '" + field.name() + "' nullCount=" + nulls + " but its validity bitmap has "
                        + (rows - present) + " nulls");
                }
            }
        }
        switch (field.type()) {
            case BOOLEAN:
                data[c] = allocator.allocate(bitmap);
                body.copy(span[2], bitmap, data[c]);
                break;
            case UTF8:
                offsets[c] = allocator.allocate((rows + 1L) * Integer.BYTES);
                if (span[3] > 0) {
                    body.copy(span[2], (rows + 1) * Integer.BYTES, offsets[c]);
                }
                final int last = checkOffsets(field, offsets[c].buffer(), rows, span[5], bodyAt + span[2]);
                data[c] = allocator.allocate(last);
                body.copy(span[4], last, data[c]);
                break;
            default:
                final int size = rows * field.type().byteWidth();
                data[c] = allocator.allocate(size);
                body.copy(span[2], size, data[c]);
                break;
        }
        if (nulls > 0) {
            zeroNulls(field, rows, validity[c].buffer(), offsets, data, c);
        }
    }

    /** Checks offsets are non-negative, ordered and within {@code dataLength}; returns the last. */
    private int checkOffsets(final Field field, final MutableDirectBuffer offsets, final int rows, final long dataLength,
                             final long at) {
        final int first = offsets.getInt(0);
        if (first < 0) {
            throw error(at, "column '" + field.name() + "' first offset=" + first + " is negative");
        }
        final int bad = ColumnBuffers.firstDecreasingOffset(offsets, rows);
        if (bad > 0) {
            throw error(at + ((long) bad << 2), "column '" + field.name() + "' offset row " + bad + "=" + offsets.getInt(bad << 2)
                + " below previous=" + offsets.getInt((bad - 1) << 2));
        }
        final int last = offsets.getInt(rows << 2);
        if (last > dataLength) {
            throw error(at + ((long) rows << 2), "column '" + field.name() + "' last offset=" + last + " past data length="
                + dataLength);
        }
        return last;
    }

    /** Zeroes values under nulls; a UTF8 column whose nulls hold bytes is compacted so every null is empty. */
    private void zeroNulls(final Field field, final int rows, final MutableDirectBuffer bits, final OffHeapBuffer[] offsets,
                           final OffHeapBuffer[] data, final int c) {
        final UnsafeBuffer valid = (UnsafeBuffer) bits;
        final MutableDirectBuffer values = data[c].buffer();
        switch (field.type()) {
            case BOOLEAN:
                for (int row = Bitmaps.nextClear(valid, 0, rows); row >= 0; row = Bitmaps.nextClear(valid, row + 1, rows)) {
                    values.putByte(row >>> 3, (byte) (values.getByte(row >>> 3) & ~(1 << (row & 7))));
                }
                break;
            case UTF8:
                compactUtf8Nulls(rows, valid, offsets, data, c);
                break;
            default:
                final int width = field.type().byteWidth();
                for (int row = Bitmaps.nextClear(valid, 0, rows); row >= 0; row = Bitmaps.nextClear(valid, row + 1, rows)) {
                    values.setMemory(row * width, width, (byte) 0);
                }
                break;
        }
    }

    private void compactUtf8Nulls(final int rows, final UnsafeBuffer valid, final OffHeapBuffer[] offsets, final OffHeapBuffer[] data,
                                  final int c) {
        final MutableDirectBuffer in = offsets[c].buffer();
        boolean clean = true;
        for (int row = Bitmaps.nextClear(valid, 0, rows); row >= 0 && clean; row = Bitmaps.nextClear(valid, row + 1, rows)) {
            clean = in.getInt(row << 2) == in.getInt((row + 1) << 2);
        }
        if (clean) {
            return;
        }
        final OffHeapBuffer newOffsets = allocator.allocate((rows + 1L) * Integer.BYTES);
        final OffHeapBuffer newData;
        try {
            newData = allocator.allocate(data[c].capacity());
        } catch (final RuntimeException ex) {
            newOffsets.release();
            throw ex;
        }
        final MutableDirectBuffer out = newOffsets.buffer();
        final MutableDirectBuffer bytes = newData.buffer();
        int end = 0;
        for (int row = 0; row < rows; row++) {
            if (Bitmaps.get(valid, row)) {
                final int start = in.getInt(row << 2);
                final int length = in.getInt((row + 1) << 2) - start;
                bytes.putBytes(end, data[c].buffer(), start, length);
                end += length;
            }
            out.putInt((row + 1) << 2, end);
        }
        offsets[c].release();
        offsets[c] = newOffsets;
        data[c].release();
        data[c] = newData;
    }
}
