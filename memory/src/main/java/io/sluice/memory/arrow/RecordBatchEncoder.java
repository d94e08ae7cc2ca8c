package io.sluice.memory.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.flatbuffers.FlatBufferBuilder;
import io.sluice.memory.Batch;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * Lays out one batch as an Arrow record batch: the FieldNodes and Buffers of its metadata and the list of body pieces
 * to hand to a gathering write. The pieces are views of the batch's off-heap buffers (no copy), except where Arrow's
 * layout differs: a bitmap of a slice not starting at a multiple of 8 rows is re-packed, and UTF8 offsets of a slice
 * not starting at offset 0 are rebased. Reusable, single-threaded; the pieces are valid while the batch is retained.
 */
final class RecordBatchEncoder {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ArrowIpcDescriptor.ALIGNMENT).asReadOnlyBuffer();

    private final List<ByteBuffer> pieces = new ArrayList<>();
    private long[] nodes = new long[16];
    private long[] buffers = new long[32];
    private int nodeCount;
    private int bufferCount;
    private long bodyLength;

    /** Lays out {@code batch}; then {@link #pieces()} and {@link #bodyLength()} describe its body. */
    void encode(final Batch batch) {
        pieces.clear();
        nodeCount = 0;
        bufferCount = 0;
        bodyLength = 0;
        final int rows = batch.rowCount();
        for (int c = 0; c < batch.columnCount(); c++) {
            final Field field = batch.schema().field(c);
            final int first = ColumnBuffers.rowOffset(batch, c);
            int nulls = 0;
            ByteBuffer validity = null;
            if (field.isNullable()) {
                final ByteBuffer bits = ColumnBuffers.validity(batch, c);
                nulls = rows - Bitmaps.countSet(new UnsafeBuffer(bits), first, rows);
                if (nulls > 0) {
                    validity = Bitmaps.window(bits, first, rows);
                }
            }
            addNode(rows, nulls);
            addBuffer(validity);
            final ByteBuffer data = ColumnBuffers.data(batch, c);
            if (field.type() == ColumnType.BOOLEAN) {
                addBuffer(Bitmaps.window(data, first, rows));
            } else if (field.type() == ColumnType.UTF8) {
                final ByteBuffer offsets = ColumnBuffers.offsets(batch, c);
                final int start = offsets.getInt(first << 2);
                final int end = offsets.getInt((first + rows) << 2);
                addBuffer(start == 0 ? range(offsets, first << 2, (rows + 1) << 2) : rebased(offsets, first, rows, start));
                addBuffer(range(data, start, end - start));
            } else {
                final int width = field.type().byteWidth();
                addBuffer(range(data, first * width, rows * width));
            }
        }
    }

    private static ByteBuffer range(final ByteBuffer buffer, final int from, final int length) {
        return buffer.duplicate().limit(from + length).position(from).slice();
    }

    private static ByteBuffer rebased(final ByteBuffer offsets, final int first, final int rows, final int start) {
        final ByteBuffer out = ByteBuffer.allocate((rows + 1) << 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= rows; i++) {
            out.putInt(i << 2, offsets.getInt((first + i) << 2) - start);
        }
        return out;
    }

    private void addNode(final long length, final long nulls) {
        if (nodeCount * 2 == nodes.length) {
            nodes = Arrays.copyOf(nodes, nodes.length * 2);
        }
        nodes[nodeCount * 2] = length;
        nodes[nodeCount * 2 + 1] = nulls;
        nodeCount++;
    }

    /** Adds a body buffer (null: an empty one) at the current body end, padded to the alignment. */
    private void addBuffer(final ByteBuffer piece) {
        if (bufferCount * 2 == buffers.length) {
            buffers = Arrays.copyOf(buffers, buffers.length * 2);
        }
        final long length = piece == null ? 0 : piece.remaining();
        buffers[bufferCount * 2] = bodyLength;
        buffers[bufferCount * 2 + 1] = length;
        bufferCount++;
        if (length > 0) {
            pieces.add(piece);
            final int pad = (int) (ArrowIpcDescriptor.padded(length) - length);
            if (pad > 0) {
                pieces.add(ZEROS.duplicate().limit(pad));
            }
            bodyLength += length + pad;
        }
    }

    /** Adds the RecordBatch table of the last encoded batch to {@code builder}; returns its offset. */
    int writeMetadata(final FlatBufferBuilder builder, final long rows) {
        RecordBatch.startNodesVector(builder, nodeCount);
        for (int i = nodeCount - 1; i >= 0; i--) {
            FieldNode.createFieldNode(builder, nodes[i * 2], nodes[i * 2 + 1]);
        }
        final int nodeVector = builder.endVector();
        RecordBatch.startBuffersVector(builder, bufferCount);
        for (int i = bufferCount - 1; i >= 0; i--) {
            org.apache.arrow.flatbuf.Buffer.createBuffer(builder, buffers[i * 2], buffers[i * 2 + 1]);
        }
        final int bufferVector = builder.endVector();
        RecordBatch.startRecordBatch(builder);
        RecordBatch.addLength(builder, rows);
        RecordBatch.addNodes(builder, nodeVector);
        RecordBatch.addBuffers(builder, bufferVector);
        return RecordBatch.endRecordBatch(builder);
    }

    /** The body pieces of the last encoded batch, in order, padding included. */
    List<ByteBuffer> pieces() {
        return pieces;
    }

    /** Bytes of the last encoded batch's body, padding included. */
    long bodyLength() {
        return bodyLength;
    }
}
