package io.sluice.memory.arrow;

import java.nio.charset.StandardCharsets;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;

/**
 * Layout of the Arrow IPC formats (Arrow columnar format, "Serialization and Interprocess Communication"), as Sluice
 * writes and reads them. All integers are little-endian; metadata are flatbuffers ({@code Message.fbs},
 * {@code Schema.fbs}, {@code File.fbs}), metadata version V5.
 *
 * <pre>
 * Encapsulated message (at M, M a multiple of 8)
 *   M+0           M+4               M+8                          M+8+L              M+8+L+B
 *   +-------------+-----------------+----------------------------+------------------+
 *   | 0xFFFFFFFF  | L: int32, meta- | flatbuffer Message, zero   | body: B bytes    |
 *   | continuation| data length     | padded so 8+L % 8 == 0     | (Message.bodyLen)|
 *   +-------------+-----------------+----------------------------+------------------+
 *   end of stream: 0xFFFFFFFF then L = 0
 *
 * Record batch body (Message header RecordBatch: length, one FieldNode per column, Buffer (offset, length) list)
 *   per column, in schema order, each buffer starting at a multiple of 8 and zero padded to one:
 *     BOOLEAN            validity bitmap, value bitmap        (bit i of byte i/8, LSB first)
 *     INT32/INT64/FLOAT64 validity bitmap, values (4 or 8 bytes each)
 *     UTF8               validity bitmap, int32 offsets (rows + 1), bytes
 *   a validity bitmap is empty (length 0) when the column has no null
 *
 * Stream:  Schema message, RecordBatch messages..., end of stream
 * File:    "ARROW1" 00 00 | the stream | flatbuffer Footer (schema, Block per batch) | int32 footer length | "ARROW1"
 *   Block = (offset of the message's continuation word, 8 + L, B)
 * </pre>
 *
 * <p>Type mapping, both ways: BOOLEAN = Bool, INT32 = Int(32, signed), INT64 = Int(64, signed), FLOAT64 =
 * FloatingPoint(DOUBLE), UTF8 = Utf8; a Sluice field's nullability is the Arrow field's. Every other Arrow type, and
 * dictionary encoding, compression and big-endian data, are refused when read.
 */
public final class ArrowIpcDescriptor {
    /** File magic at the start (then two zero bytes) and at the very end. */
    public static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    /** Bytes before the first message of a file: the magic padded to 8. */
    public static final int FILE_HEADER_LENGTH = 8;
    /** Bytes after the footer flatbuffer: int32 footer length and the magic. */
    public static final int FILE_TRAILER_LENGTH = Integer.BYTES + 6;
    /** First word of every message prefix. */
    public static final int CONTINUATION = 0xFFFFFFFF;
    /** Continuation word and metadata length. */
    public static final int PREFIX_LENGTH = 8;
    /** Alignment of messages and of every body buffer. */
    public static final int ALIGNMENT = 8;
    /** Largest metadata flatbuffer accepted on read (a record batch of a few thousand columns takes kilobytes). */
    public static final int MAX_METADATA_LENGTH = 64 << 20;

    private ArrowIpcDescriptor() {
    }

    /** {@code length} rounded up to a multiple of {@link #ALIGNMENT}. */
    public static long padded(final long length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Buffers a column of {@code type} has in a record batch body. */
    public static int bufferCount(final ColumnType type) {
        return type == ColumnType.UTF8 ? 3 : 2;
    }

    /** Buffers of one record batch of columns {@code fields}. */
    public static int bufferCount(final Iterable<Field> fields) {
        int count = 0;
        for (final Field field : fields) {
            count += bufferCount(field.type());
        }
        return count;
    }

    /** Bytes of a bitmap of {@code rows} bits. */
    public static long bitmapLength(final long rows) {
        return (rows + 7) >>> 3;
    }
}
