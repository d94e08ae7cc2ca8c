package io.sluice.memory;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a batch file: offsets, lengths and magic numbers. All multi-byte values are little-endian (the native
 * order of every platform Sluice runs on; {@link BatchFileWriter} refuses a big-endian platform). Every byte of a
 * file is covered by a magic number, a version check or a CRC32C, so any corruption is detected.
 *
 * <pre>
 * File header (offset 0)
 *   0                   8          12           16          20           24
 *   +-------------------+----------+------------+-----------+------------+---------------------------+
 *   | magic "SLCBATCH"  | version  | schemaLen S| fieldCount| header CRC | schema: S bytes           |
 *   |  8 bytes          | int32 =1 | int32      | int32 F   | int32      |  per field: type u8,      |
 *   |                   |          |            |           |            |  nullable u8, nameLen u16,|
 *   |                   |          |            |           |            |  name UTF-8               |
 *   +-------------------+----------+------------+-----------+------------+---------------------------+
 *   header CRC = CRC32C of bytes [0, 20) then [24, 24 + S)
 *
 * Batch record (repeated, starting right after the header, back to back)
 *   R+0       R+4        R+8              R+16                          R+16+16F      R+20+16F
 *   +---------+----------+----------------+-----------------------------+-------------+-------------------+
 *   | "BTCH"  | rowCount | payloadLen P   | F column entries, 16 B each:| record CRC  | payload: P bytes, |
 *   | int32   | int32    | int64          | validityLen, offsetsLen,    | int32 over  | per column:       |
 *   |         |          |                | dataLen, column CRC (int32s)| [R, R+16+16F)| validity,offsets,data|
 *   +---------+----------+----------------+-----------------------------+-------------+-------------------+
 *   validityLen = ceil(rows / 8) if nullable else 0 (bit set = value present)
 *   offsetsLen  = 4 * (rows + 1) for UTF8 else 0 (offsets start at 0)
 *   dataLen     = rows * width (INT32 4, INT64/FLOAT64 8), ceil(rows / 8) for BOOLEAN, last offset for UTF8
 *   column CRC  = CRC32C of the column's validity, offsets and data bytes
 *
 * Footer (the last 24 bytes; its presence and count make a torn file detectable)
 *   E+0                 E+8          E+12            E+20
 *   +-------------------+------------+---------------+------------+
 *   | magic "SLCFOOTR"  | batchCount | footer offset | footer CRC |
 *   |  8 bytes          | int32      | int64 (= E)   | int32      |
 *   +-------------------+------------+---------------+------------+
 * </pre>
 */
public final class BatchFileDescriptor {
    /** File magic, the first 8 bytes. */
    public static final byte[] MAGIC = "SLCBATCH".getBytes(StandardCharsets.US_ASCII);
    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int SCHEMA_LENGTH_OFFSET = 12;
    public static final int FIELD_COUNT_OFFSET = 16;
    public static final int HEADER_CRC_OFFSET = 20;
    public static final int SCHEMA_OFFSET = 24;
    /** Largest schema a file may hold (readers refuse a longer schema length before allocating for it). */
    public static final int MAX_SCHEMA_LENGTH = 16 << 20;
    /** Bytes of one field in the schema, before its name. */
    public static final int FIELD_FIXED_LENGTH = 4;

    /** Marker of a batch record, "BTCH" read as a little-endian int32. */
    public static final int RECORD_MARKER = 0x48435442;
    public static final int RECORD_MARKER_OFFSET = 0;
    public static final int RECORD_ROW_COUNT_OFFSET = 4;
    public static final int RECORD_PAYLOAD_LENGTH_OFFSET = 8;
    public static final int RECORD_COLUMNS_OFFSET = 16;
    public static final int COLUMN_ENTRY_LENGTH = 16;
    public static final int COLUMN_VALIDITY_LENGTH_OFFSET = 0;
    public static final int COLUMN_OFFSETS_LENGTH_OFFSET = 4;
    public static final int COLUMN_DATA_LENGTH_OFFSET = 8;
    public static final int COLUMN_CRC_OFFSET = 12;

    /** Footer magic. */
    public static final byte[] FOOTER_MAGIC = "SLCFOOTR".getBytes(StandardCharsets.US_ASCII);
    public static final int FOOTER_LENGTH = 24;
    public static final int FOOTER_BATCH_COUNT_OFFSET = 8;
    public static final int FOOTER_SELF_OFFSET = 12;
    public static final int FOOTER_CRC_OFFSET = 20;

    private BatchFileDescriptor() {
    }

    /** Length of a record's header, up to (not including) its record CRC. */
    public static int recordHeaderLength(final int fieldCount) {
        return RECORD_COLUMNS_OFFSET + fieldCount * COLUMN_ENTRY_LENGTH;
    }

    /** Offset of a record's payload from the record start. */
    public static int recordPayloadOffset(final int fieldCount) {
        return recordHeaderLength(fieldCount) + Integer.BYTES;
    }

    /** Bytes of a bitmap of {@code rows} bits. */
    public static long bitmapLength(final long rows) {
        return (rows + 7) >>> 3;
    }

    public static long validityLength(final Field field, final long rows) {
        return field.isNullable() ? bitmapLength(rows) : 0;
    }

    public static long offsetsLength(final Field field, final long rows) {
        return field.type() == ColumnType.UTF8 ? (rows + 1) * Integer.BYTES : 0;
    }

    /** Data length of a fixed-width or BOOLEAN column; UTF8 data length comes from its last offset. */
    public static long fixedDataLength(final Field field, final long rows) {
        return field.type() == ColumnType.BOOLEAN ? bitmapLength(rows) : rows * field.type().byteWidth();
    }
}
