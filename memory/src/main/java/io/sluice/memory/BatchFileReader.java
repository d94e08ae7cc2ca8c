package io.sluice.memory;

import static io.sluice.memory.BatchFileDescriptor.COLUMN_CRC_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_DATA_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_ENTRY_LENGTH;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_OFFSETS_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_VALIDITY_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.FOOTER_LENGTH;
import static io.sluice.memory.BatchFileDescriptor.RECORD_COLUMNS_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.SCHEMA_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a batch file (layout in {@link BatchFileDescriptor}) by positional reads from a {@link FileChannel}.
 *
 * <p>{@link #open(Path)} checks the header (magic, version, schema CRC) and the footer; {@link #readAll} checks
 * every record (marker, header CRC, lengths, column CRC32Cs, offsets, UTF-8) and returns all batches or none: on any
 * problem (any {@link Throwable}) it releases what it read, and bad content throws a {@link BatchFileException}
 * naming the file and byte offset. Every count and length is checked against the file size before anything is
 * allocated for it. The file is read, never mapped, so a file truncated or rewritten while it is read gives a
 * {@link BatchFileException} (or a CRC mismatch), never a fault. Reading is interruptible: an interrupt closes the
 * channel and the read throws {@link UncheckedIOException}. Single-threaded; {@link #close()} closes the file.
 */
public final class BatchFileReader implements AutoCloseable {
    private static final int SCRATCH_SIZE = 64 << 10;

    private final Path file;
    private final long size;
    private final FileChannel channel;
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private Schema schema;
    private ByteBuffer recordHeader;
    private long recordsStart;
    private long footerStart;
    private int batchCount;
    private long nextRecord;
    private boolean closed;

    private BatchFileReader(final Path file, final long size, final FileChannel channel) {
        this.file = file;
        this.size = size;
        this.channel = channel;
    }

    /** Opens {@code file} and validates its header and footer. */
    public static BatchFileReader open(final Path file) {
        final FileChannel channel;
        final long size;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read batch file " + file, ex);
        }
        try {
            size = channel.size();
        } catch (final IOException ex) {
            Closing.closeAfter(channel, ex);
            throw new UncheckedIOException("cannot read batch file " + file, ex);
        }
        final BatchFileReader reader = new BatchFileReader(file, size, channel);
        try {
            if (size < SCHEMA_OFFSET + FOOTER_LENGTH) {
                throw new BatchFileException(file, size, "truncated: size=" + size + " is below the minimum "
                    + (SCHEMA_OFFSET + FOOTER_LENGTH));
            }
            reader.readHeader();
            reader.readFooter();
        } catch (final Throwable ex) {
            Closing.closeAfter(reader, ex);
            throw ex;
        }
        return reader;
    }



    public Path file() {
        return file;
    }

    public Schema schema() {
        return schema;
    }

    /** Batches the footer says the file holds. */
    public int batchCount() {
        return batchCount;
    }

    private BatchFileException corrupt(final long offset, final String problem) {
        return new BatchFileException(file, offset, problem);
    }

    /**
     * Reads file bytes {@code [from, from + dst.remaining())} into {@code dst}. The caller checked the range against
     * the size at open; a file that got shorter since then ends the read early, which throws.
     */
    private void readFully(final long from, final ByteBuffer dst) {
        long at = from;
        try {
            while (dst.hasRemaining()) {
                final int n = channel.read(dst, at);
                if (n < 0) {
                    throw corrupt(at, "file ends at offset=" + at + " while reading: truncated after open (size at open="
                        + size + ")");
                }
                at += n;
            }
        } catch (final ClosedByInterruptException ex) {
            throw new UncheckedIOException("interrupted while reading batch file " + file + " at offset=" + at, ex);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read batch file " + file + " at offset=" + at, ex);
        }
    }

    /** A little-endian heap buffer holding file bytes {@code [from, from + length)}; the scratch buffer if it fits. */
    private ByteBuffer readBytes(final long from, final int length) {
        final ByteBuffer dst = length <= SCRATCH_SIZE ? scratch.clear().limit(length)
            : ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(from, dst);
        return dst.flip();
    }

    private void readHeader() {
        final ByteBuffer fixed = readBytes(0, SCHEMA_OFFSET);
        final byte[] magic = new byte[BatchFileDescriptor.MAGIC.length];
        fixed.get(BatchFileDescriptor.MAGIC_OFFSET, magic);
        if (!Arrays.equals(magic, BatchFileDescriptor.MAGIC)) {
            throw corrupt(BatchFileDescriptor.MAGIC_OFFSET, "wrong magic " + Arrays.toString(magic) + ", not a batch file");
        }
        final int version = fixed.getInt(BatchFileDescriptor.VERSION_OFFSET);
        if (version != BatchFileDescriptor.FORMAT_VERSION) {
            throw corrupt(BatchFileDescriptor.VERSION_OFFSET, "unsupported format version=" + version + " (supported: "
                + BatchFileDescriptor.FORMAT_VERSION + ")");
        }
        final int schemaLength = fixed.getInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET);
        if (schemaLength < 0 || schemaLength > BatchFileDescriptor.MAX_SCHEMA_LENGTH
            || SCHEMA_OFFSET + (long) schemaLength + FOOTER_LENGTH > size) {
            throw corrupt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, "schema length=" + schemaLength + " does not fit file size="
                + size + " (at most " + BatchFileDescriptor.MAX_SCHEMA_LENGTH + ")");
        }
        final ByteBuffer header = readBytes(0, SCHEMA_OFFSET + schemaLength);
        crc.reset();
        crc.update(header.slice(0, BatchFileDescriptor.HEADER_CRC_OFFSET));
        crc.update(header.slice(SCHEMA_OFFSET, schemaLength));
        final int stored = header.getInt(BatchFileDescriptor.HEADER_CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw corrupt(BatchFileDescriptor.HEADER_CRC_OFFSET, "header CRC32C mismatch: stored=" + Integer.toHexString(stored)
                + " computed=" + Long.toHexString(crc.getValue()));
        }
        final int end = SCHEMA_OFFSET + schemaLength;
        final List<Field> fields = readFields(header, end);
        try {
            schema = new Schema(fields);
        } catch (final IllegalArgumentException ex) {
            throw new BatchFileException(file, SCHEMA_OFFSET, ex.getMessage(), ex);
        }
        recordsStart = end;
        recordHeader = ByteBuffer.allocate(BatchFileDescriptor.recordPayloadOffset(fields.size())).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The fields of the schema in {@code header}, bytes {@code [SCHEMA_OFFSET, end)}, each checked. */
    private List<Field> readFields(final ByteBuffer header, final int end) {
        final int fieldCount = header.getInt(BatchFileDescriptor.FIELD_COUNT_OFFSET);
        final List<Field> fields = new ArrayList<>();
        int at = SCHEMA_OFFSET;
        for (int i = 0; i < fieldCount; i++) {
            if (at + BatchFileDescriptor.FIELD_FIXED_LENGTH > end) {
                throw corrupt(at, "schema ends inside field " + i + " of fieldCount=" + fieldCount);
            }
            final int nameLength = header.getShort(at + 2) & 0xFFFF;
            if (at + BatchFileDescriptor.FIELD_FIXED_LENGTH + nameLength > end) {
                throw corrupt(at + 2, "field " + i + " name length=" + nameLength + " runs past the schema");
            }
            final byte[] name = new byte[nameLength];
            header.get(at + BatchFileDescriptor.FIELD_FIXED_LENGTH, name);
            final int badByte = Utf8Validation.firstInvalid(name, 0, nameLength);
            if (badByte >= 0) {
                throw corrupt(at + BatchFileDescriptor.FIELD_FIXED_LENGTH + badByte, "field " + i
                    + " name is not valid UTF-8");
            }
            try {
                final ColumnType type = ColumnType.fromCode(header.get(at));
                final byte nullable = header.get(at + 1);
                if (nullable != 0 && nullable != 1) {
                    throw corrupt(at + 1, "field " + i + " nullable flag=" + nullable);
                }
                fields.add(new Field(new String(name, StandardCharsets.UTF_8), type, nullable == 1));
            } catch (final IllegalArgumentException ex) {
                throw new BatchFileException(file, at, "field " + i + ": " + ex.getMessage(), ex);
            }
            at += BatchFileDescriptor.FIELD_FIXED_LENGTH + nameLength;
        }
        if (at != end) {
            throw corrupt(at, "schema has " + (end - at) + " bytes after fieldCount=" + fieldCount + " fields");
        }
        return fields;
    }

    private void readFooter() {
        final long footer = size - FOOTER_LENGTH;
        final ByteBuffer bytes = readBytes(footer, FOOTER_LENGTH);
        final byte[] magic = new byte[BatchFileDescriptor.FOOTER_MAGIC.length];
        bytes.get(0, magic);
        if (!Arrays.equals(magic, BatchFileDescriptor.FOOTER_MAGIC)) {
            throw corrupt(footer, "no footer at the end (torn or truncated file): size=" + size);
        }
        crc.reset();
        crc.update(bytes.slice(0, BatchFileDescriptor.FOOTER_CRC_OFFSET));
        final int stored = bytes.getInt(BatchFileDescriptor.FOOTER_CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_CRC_OFFSET, "footer CRC32C mismatch");
        }
        final long self = bytes.getLong(BatchFileDescriptor.FOOTER_SELF_OFFSET);
        if (self != footer) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_SELF_OFFSET, "footer says it starts at " + self + " but file size="
                + size + " puts it at " + footer);
        }
        batchCount = bytes.getInt(BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET);
        // Every record takes at least its header: a count the record bytes cannot hold is corrupt.
        final long maxBatches = (footer - recordsStart) / BatchFileDescriptor.recordPayloadOffset(schema.fieldCount());
        if (batchCount < 0 || batchCount > maxBatches || (batchCount == 0 && footer != recordsStart)) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, "batchCount=" + batchCount
                + " does not match " + (footer - recordsStart) + " record bytes (room for at most " + maxBatches + ")");
        }
        footerStart = footer;
    }

    /**
     * Reads and validates every batch into buffers from {@code allocator}. All or nothing: on any problem the
     * batches read so far are released and a {@link BatchFileException} is thrown. The caller releases the result.
     */
    public List<Batch> readAll(final BufferAllocator allocator) {
        if (closed) {
            throw new IllegalStateException("batch file reader for " + file + " is closed");
        }
        final List<Batch> batches = new ArrayList<>(batchCount);
        try {
            long at = recordsStart;
            for (int i = 0; i < batchCount; i++) {
                final Batch batch = readRecord(at, i, allocator);
                batches.add(batch);
                at = nextRecord;
            }
            if (at != footerStart) {
                throw corrupt(at, (footerStart - at) + " unexpected bytes after batchCount=" + batchCount + " records");
            }
            return Collections.unmodifiableList(batches);
        } catch (final Throwable ex) {
            for (final Batch batch : batches) {
                batch.release();
            }
            throw ex;
        }
    }

    private Batch readRecord(final long record, final int index, final BufferAllocator allocator) {
        final int fields = schema.fieldCount();
        final int headerLength = BatchFileDescriptor.recordHeaderLength(fields);
        final long payload = record + BatchFileDescriptor.recordPayloadOffset(fields);
        if (payload > footerStart) {
            throw corrupt(record, "record " + index + " header runs past the footer at " + footerStart);
        }
        final ByteBuffer header = recordHeader.clear();
        readFully(record, header);
        final int marker = header.getInt(BatchFileDescriptor.RECORD_MARKER_OFFSET);
        if (marker != BatchFileDescriptor.RECORD_MARKER) {
            throw corrupt(record, "record " + index + " has marker=" + Integer.toHexString(marker) + ", expected "
                + Integer.toHexString(BatchFileDescriptor.RECORD_MARKER));
        }
        crc.reset();
        crc.update(header.slice(0, headerLength));
        if (header.getInt(headerLength) != (int) crc.getValue()) {
            throw corrupt(record + headerLength, "record " + index + " header CRC32C mismatch");
        }
        final int rows = header.getInt(BatchFileDescriptor.RECORD_ROW_COUNT_OFFSET);
        final long payloadLength = header.getLong(BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET);
        if (rows < 0 || payloadLength < 0 || payloadLength > footerStart - payload) {
            throw corrupt(record, "record " + index + " rows=" + rows + " payloadLength=" + payloadLength
                + " does not fit before the footer at " + footerStart);
        }
        final ColumnData[] columns = new ColumnData[fields];
        try {
            long at = payload;
            for (int c = 0; c < fields; c++) {
                final int entry = RECORD_COLUMNS_OFFSET + c * COLUMN_ENTRY_LENGTH;
                final long validityLength = header.getInt(entry + COLUMN_VALIDITY_LENGTH_OFFSET);
                final long offsetsLength = header.getInt(entry + COLUMN_OFFSETS_LENGTH_OFFSET);
                final long dataLength = header.getInt(entry + COLUMN_DATA_LENGTH_OFFSET);
                final int storedCrc = header.getInt(entry + COLUMN_CRC_OFFSET);
                columns[c] = readColumn(allocator, schema.field(c), rows, record + entry, at, payload + payloadLength,
                    validityLength, offsetsLength, dataLength, storedCrc);
                at += validityLength + offsetsLength + dataLength;
            }
            if (at != payload + payloadLength) {
                throw corrupt(record + BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET, "record " + index + " payloadLength="
                    + payloadLength + " but columns hold " + (at - payload));
            }
            nextRecord = at;
        } catch (final Throwable ex) {
            for (final ColumnData column : columns) {
                if (column != null) {
                    column.release();
                }
            }
            throw ex;
        }
        return new Batch(schema, rows, columns);
    }

    private ColumnData readColumn(final BufferAllocator allocator, final Field field, final int rows, final long entry,
                                  final long start, final long limit, final long validityLength, final long offsetsLength,
                                  final long dataLength, final int storedCrc) {
        if (validityLength != BatchFileDescriptor.validityLength(field, rows)
            || offsetsLength != BatchFileDescriptor.offsetsLength(field, rows)
            || (field.type() != ColumnType.UTF8 && dataLength != BatchFileDescriptor.fixedDataLength(field, rows))
            || dataLength < 0 || start + validityLength + offsetsLength + dataLength > limit) {
            throw corrupt(entry, "column '" + field.name() + "' lengths validity=" + validityLength + " offsets=" + offsetsLength
                + " data=" + dataLength + " do not match rows=" + rows + " within the record");
        }
        if (Math.max(offsetsLength, dataLength) > BufferAllocator.MAX_SIZE_CLASS) {
            throw corrupt(entry, "column '" + field.name() + "' of rows=" + rows + " needs a buffer of offsets=" + offsetsLength
                + " data=" + dataLength + " bytes, over the largest buffer of " + BufferAllocator.MAX_SIZE_CLASS + " bytes");
        }
        crc.reset();
        OffHeapBuffer validity = null;
        OffHeapBuffer offsets = null;
        OffHeapBuffer data = null;
        try {
            if (field.isNullable()) {
                validity = copy(allocator, start, validityLength, BatchFileDescriptor.bitmapLength(rows));
            }
            if (field.type() == ColumnType.UTF8) {
                offsets = copy(allocator, start + validityLength, offsetsLength, offsetsLength);
            }
            data = copy(allocator, start + validityLength + offsetsLength, dataLength, dataLength);
            if (storedCrc != (int) crc.getValue()) {
                throw corrupt(start, "column '" + field.name() + "' CRC32C mismatch: stored=" + Integer.toHexString(storedCrc)
                    + " computed=" + Long.toHexString(crc.getValue()));
            }
            if (offsets != null) {
                checkOffsets(field, offsets.unsafeView(), rows, dataLength, start + validityLength);
                checkUtf8(field, validity, offsets.unsafeView(), data.unsafeView(), rows, start + validityLength + offsetsLength);
            }
            return new ColumnData(field, validity, offsets, data);
        } catch (final Throwable ex) {
            for (final OffHeapBuffer buffer : new OffHeapBuffer[] {validity, offsets, data}) {
                if (buffer != null) {
                    buffer.release();
                }
            }
            throw ex;
        }
    }

    /** Reads {@code length} file bytes straight into a new buffer of at least {@code minCapacity}, updating the CRC. */
    private OffHeapBuffer copy(final BufferAllocator allocator, final long from, final long length, final long minCapacity) {
        final OffHeapBuffer buffer = allocator.allocate(Math.max(length, minCapacity));
        try {
            final ByteBuffer target = buffer.alignedSlab().duplicate().clear().limit((int) length);
            readFully(from, target);
            crc.update(target.flip());
        } catch (final Throwable ex) {
            buffer.release();
            throw ex;
        }
        return buffer;
    }

    private void checkOffsets(final Field field, final UnsafeBuffer offsets, final int rows, final long dataLength, final long at) {
        final int first = offsets.getInt(0);
        if (first != 0) {
            throw corrupt(at, "column '" + field.name() + "' first offset=" + first + ", expected 0");
        }
        final int bad = ColumnBuffers.firstDecreasingOffset(offsets, rows);
        if (bad > 0) {
            throw corrupt(at + ((long) bad << 2), "column '" + field.name() + "' offset row " + bad + "=" + offsets.getInt(bad << 2)
                + " below previous=" + offsets.getInt((bad - 1) << 2));
        }
        final int last = offsets.getInt(rows << 2);
        if (last != dataLength) {
            throw corrupt(at + ((long) rows << 2), "column '" + field.name() + "' last offset=" + last + " but data length="
                + dataLength);
        }
    }

    /** Every non-null value of a UTF8 column must be valid UTF-8 on its own, as text input requires. */
    private void checkUtf8(final Field field, final OffHeapBuffer validity, final UnsafeBuffer offsets, final UnsafeBuffer data,
                           final int rows, final long at) {
        final UnsafeBuffer bits = validity == null ? null : validity.unsafeView();
        for (int row = 0; row < rows; row++) {
            if (bits != null && !AbstractColumnVector.bit(bits, row)) {
                continue;
            }
            final int from = offsets.getInt(row << 2);
            final int bad = Utf8Validation.firstInvalid(data, from, offsets.getInt((row + 1) << 2) - from);
            if (bad >= 0) {
                throw corrupt(at + bad, "column '" + field.name() + "' row " + row + " is not valid UTF-8 at byte "
                    + (bad - from) + " of the value");
            }
        }
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot close batch file " + file, ex);
            }
        }
    }
}
