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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a batch file (layout in {@link BatchFileDescriptor}) through a read-only Chronicle {@link MappedBytes}.
 *
 * <p>{@link #open(Path)} checks the header (magic, version, schema CRC) and the footer; {@link #readAll} checks
 * every record (marker, header CRC, lengths, column CRC32Cs, offsets) and returns all batches or none: on any
 * problem it releases what it read and throws a {@link BatchFileException} naming the file and byte offset. Every
 * length is checked against the file size before it is used, so a corrupt file never makes the reader touch
 * memory outside the mapping. Single-threaded; {@link #close()} releases the mapping.
 */
public final class BatchFileReader implements AutoCloseable {
    private static final long CHUNK_SIZE = 4L << 20;
    private static final long OVERLAP_SIZE = 256L << 10;
    private static final int SCRATCH_SIZE = 64 << 10;

    private final Path file;
    private final long size;
    private final MappedBytes bytes;
    private final byte[] scratch = new byte[SCRATCH_SIZE];
    private final UnsafeBuffer scratchView = new UnsafeBuffer(scratch);
    private final CRC32C crc = new CRC32C();
    private Schema schema;
    private long recordsStart;
    private long footerStart;
    private int batchCount;
    private long nextRecord;
    private boolean closed;

    private BatchFileReader(final Path file, final long size, final MappedBytes bytes) {
        this.file = file;
        this.size = size;
        this.bytes = bytes;
    }

    /** Opens {@code file} and validates its header and footer. */
    public static BatchFileReader open(final Path file) {
        final long size;
        try {
            size = Files.size(file);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read batch file " + file, ex);
        }
        if (size < SCHEMA_OFFSET + FOOTER_LENGTH) {
            throw new BatchFileException(file, size, "truncated: size=" + size + " is below the minimum "
                + (SCHEMA_OFFSET + FOOTER_LENGTH));
        }
        final MappedBytes bytes;
        try {
            bytes = MappedBytes.mappedBytes(file.toFile(), CHUNK_SIZE, OVERLAP_SIZE, true);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot map batch file " + file, ex);
        }
        final BatchFileReader reader = new BatchFileReader(file, size, bytes);
        try {
            // A fresh MappedBytes has nothing readable until its limit is set: here, the file's size.
            bytes.readLimit(size);
            reader.readHeader();
            reader.readFooter();
        } catch (final RuntimeException ex) {
            reader.close();
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

    private void readHeader() {
        final byte[] magic = new byte[BatchFileDescriptor.MAGIC.length];
        readFully(BatchFileDescriptor.MAGIC_OFFSET, magic, magic.length);
        if (!Arrays.equals(magic, BatchFileDescriptor.MAGIC)) {
            throw corrupt(BatchFileDescriptor.MAGIC_OFFSET, "wrong magic " + Arrays.toString(magic) + ", not a batch file");
        }
        final int version = bytes.readInt(BatchFileDescriptor.VERSION_OFFSET);
        if (version != BatchFileDescriptor.FORMAT_VERSION) {
            throw corrupt(BatchFileDescriptor.VERSION_OFFSET, "unsupported format version=" + version + " (supported: "
                + BatchFileDescriptor.FORMAT_VERSION + ")");
        }
        final int schemaLength = bytes.readInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET);
        if (schemaLength < 0 || SCHEMA_OFFSET + (long) schemaLength + FOOTER_LENGTH > size) {
            throw corrupt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, "schema length=" + schemaLength + " does not fit file size=" + size);
        }
        crc.reset();
        crcOfFile(0, BatchFileDescriptor.HEADER_CRC_OFFSET);
        crcOfFile(SCHEMA_OFFSET, schemaLength);
        final int stored = bytes.readInt(BatchFileDescriptor.HEADER_CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw corrupt(BatchFileDescriptor.HEADER_CRC_OFFSET, "header CRC32C mismatch: stored=" + Integer.toHexString(stored)
                + " computed=" + Long.toHexString(crc.getValue()));
        }
        final int fieldCount = bytes.readInt(BatchFileDescriptor.FIELD_COUNT_OFFSET);
        final long end = SCHEMA_OFFSET + (long) schemaLength;
        final List<Field> fields = new ArrayList<>();
        long at = SCHEMA_OFFSET;
        for (int i = 0; i < fieldCount; i++) {
            if (at + BatchFileDescriptor.FIELD_FIXED_LENGTH > end) {
                throw corrupt(at, "schema ends inside field " + i + " of fieldCount=" + fieldCount);
            }
            final int nameLength = bytes.readShort(at + 2) & 0xFFFF;
            if (at + BatchFileDescriptor.FIELD_FIXED_LENGTH + nameLength > end) {
                throw corrupt(at + 2, "field " + i + " name length=" + nameLength + " runs past the schema");
            }
            final byte[] name = new byte[nameLength];
            readFully(at + BatchFileDescriptor.FIELD_FIXED_LENGTH, name, nameLength);
            try {
                final ColumnType type = ColumnType.fromCode(bytes.readByte(at));
                final byte nullable = bytes.readByte(at + 1);
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
        try {
            schema = new Schema(fields);
        } catch (final IllegalArgumentException ex) {
            throw new BatchFileException(file, SCHEMA_OFFSET, ex.getMessage(), ex);
        }
        recordsStart = end;
    }

    private void readFooter() {
        final long footer = size - FOOTER_LENGTH;
        final byte[] magic = new byte[BatchFileDescriptor.FOOTER_MAGIC.length];
        readFully(footer, magic, magic.length);
        if (!Arrays.equals(magic, BatchFileDescriptor.FOOTER_MAGIC)) {
            throw corrupt(footer, "no footer at the end (torn or truncated file): size=" + size);
        }
        crc.reset();
        crcOfFile(footer, BatchFileDescriptor.FOOTER_CRC_OFFSET);
        final int stored = bytes.readInt(footer + BatchFileDescriptor.FOOTER_CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_CRC_OFFSET, "footer CRC32C mismatch");
        }
        final long self = bytes.readLong(footer + BatchFileDescriptor.FOOTER_SELF_OFFSET);
        if (self != footer) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_SELF_OFFSET, "footer says it starts at " + self + " but file size="
                + size + " puts it at " + footer);
        }
        batchCount = bytes.readInt(footer + BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET);
        if (batchCount < 0 || (batchCount == 0 && footer != recordsStart)) {
            throw corrupt(footer + BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, "batchCount=" + batchCount
                + " does not match " + (footer - recordsStart) + " record bytes");
        }
        footerStart = footer;
    }

    /**
     * Copies {@code length} file bytes from {@code from} into {@code dst}. Word by word: MappedBytes' bulk
     * {@code read(long, byte[], int, int)} copies nothing outside its read window, and callers check bounds first.
     */
    private void readFully(final long from, final byte[] dst, final int length) {
        final UnsafeBuffer out = dst == scratch ? scratchView : new UnsafeBuffer(dst);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            out.putLong(i, bytes.readLong(from + i));
        }
        for (; i < length; i++) {
            dst[i] = bytes.readByte(from + i);
        }
    }

    private void crcOfFile(final long from, final long length) {
        long done = 0;
        while (done < length) {
            final int n = (int) Math.min(scratch.length, length - done);
            readFully(from + done, scratch, n);
            crc.update(scratch, 0, n);
            done += n;
        }
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
        } catch (final RuntimeException ex) {
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
        final int marker = bytes.readInt(record + BatchFileDescriptor.RECORD_MARKER_OFFSET);
        if (marker != BatchFileDescriptor.RECORD_MARKER) {
            throw corrupt(record, "record " + index + " has marker=" + Integer.toHexString(marker) + ", expected "
                + Integer.toHexString(BatchFileDescriptor.RECORD_MARKER));
        }
        crc.reset();
        crcOfFile(record, headerLength);
        if (bytes.readInt(record + headerLength) != (int) crc.getValue()) {
            throw corrupt(record + headerLength, "record " + index + " header CRC32C mismatch");
        }
        final int rows = bytes.readInt(record + BatchFileDescriptor.RECORD_ROW_COUNT_OFFSET);
        final long payloadLength = bytes.readLong(record + BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET);
        if (rows < 0 || payloadLength < 0 || payload + payloadLength > footerStart) {
            throw corrupt(record, "record " + index + " rows=" + rows + " payloadLength=" + payloadLength
                + " does not fit before the footer at " + footerStart);
        }
        final ColumnData[] columns = new ColumnData[fields];
        try {
            long at = payload;
            for (int c = 0; c < fields; c++) {
                final long entry = record + RECORD_COLUMNS_OFFSET + (long) c * COLUMN_ENTRY_LENGTH;
                columns[c] = readColumn(allocator, schema.field(c), rows, entry, at, payload + payloadLength);
                at += bytes.readInt(entry + COLUMN_VALIDITY_LENGTH_OFFSET) + (long) bytes.readInt(entry + COLUMN_OFFSETS_LENGTH_OFFSET)
                    + bytes.readInt(entry + COLUMN_DATA_LENGTH_OFFSET);
            }
            if (at != payload + payloadLength) {
                throw corrupt(record + BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET, "record " + index + " payloadLength="
                    + payloadLength + " but columns hold " + (at - payload));
            }
            nextRecord = at;
        } catch (final RuntimeException ex) {
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
                                  final long start, final long limit) {
        final long validityLength = bytes.readInt(entry + COLUMN_VALIDITY_LENGTH_OFFSET);
        final long offsetsLength = bytes.readInt(entry + COLUMN_OFFSETS_LENGTH_OFFSET);
        final long dataLength = bytes.readInt(entry + COLUMN_DATA_LENGTH_OFFSET);
        if (validityLength != BatchFileDescriptor.validityLength(field, rows)
            || offsetsLength != BatchFileDescriptor.offsetsLength(field, rows)
            || (field.type() != ColumnType.UTF8 && dataLength != BatchFileDescriptor.fixedDataLength(field, rows))
            || dataLength < 0 || start + validityLength + offsetsLength + dataLength > limit) {
            throw corrupt(entry, "column '" + field.name() + "' lengths validity=" + validityLength + " offsets=" + offsetsLength
                + " data=" + dataLength + " do not match rows=" + rows + " within the record");
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
            final int stored = bytes.readInt(entry + COLUMN_CRC_OFFSET);
            if (stored != (int) crc.getValue()) {
                throw corrupt(start, "column '" + field.name() + "' CRC32C mismatch: stored=" + Integer.toHexString(stored)
                    + " computed=" + Long.toHexString(crc.getValue()));
            }
            if (offsets != null) {
                checkOffsets(field, offsets.unsafeView(), rows, dataLength, start + validityLength);
            }
            return new ColumnData(field, validity, offsets, data);
        } catch (final RuntimeException ex) {
            for (final OffHeapBuffer buffer : new OffHeapBuffer[] {validity, offsets, data}) {
                if (buffer != null) {
                    buffer.release();
                }
            }
            throw ex;
        }
    }

    /** Copies {@code length} file bytes into a new buffer of at least {@code minCapacity}, updating the CRC. */
    private OffHeapBuffer copy(final BufferAllocator allocator, final long from, final long length, final long minCapacity) {
        final OffHeapBuffer buffer = allocator.allocate(Math.max(length, minCapacity));
        final UnsafeBuffer view = buffer.unsafeView();
        long done = 0;
        while (done < length) {
            final int n = (int) Math.min(scratch.length, length - done);
            readFully(from + done, scratch, n);
            crc.update(scratch, 0, n);
            view.putBytes((int) done, scratch, 0, n);
            done += n;
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

    /** Releases the mapping. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bytes.releaseLast();
        }
    }
}
