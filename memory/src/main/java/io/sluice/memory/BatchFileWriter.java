package io.sluice.memory;

import static io.sluice.memory.BatchFileDescriptor.COLUMN_CRC_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_DATA_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_ENTRY_LENGTH;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_OFFSETS_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.COLUMN_VALIDITY_LENGTH_OFFSET;
import static io.sluice.memory.BatchFileDescriptor.RECORD_COLUMNS_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes batches of one schema to a batch file (layout in {@link BatchFileDescriptor}) through a Chronicle
 * {@link MappedBytes}. The file is written under {@code <name>.tmp} and renamed atomically over {@code <name>} by
 * {@link #close()}, so readers never see a half-written file under the final name. If a write fails, close()
 * deletes the temporary file instead. Single-threaded.
 */
public final class BatchFileWriter implements AutoCloseable {
    private static final long CHUNK_SIZE = 4L << 20;
    private static final long OVERLAP_SIZE = 256L << 10;
    private static final int SCRATCH_SIZE = 64 << 10;

    private final Path file;
    private final Path temp;
    private final Schema schema;
    private final MappedBytes bytes;
    private final byte[] scratch = new byte[SCRATCH_SIZE];
    private final CRC32C crc = new CRC32C();
    private long position;
    private int batchCount;
    private boolean failed;
    private boolean closed;

    private BatchFileWriter(final Path file, final Path temp, final Schema schema) throws IOException {
        this.file = file;
        this.temp = temp;
        this.schema = schema;
        Files.deleteIfExists(temp);
        this.bytes = MappedBytes.mappedBytes(temp.toFile(), CHUNK_SIZE, OVERLAP_SIZE);
    }

    /** Starts a batch file for {@code schema} at {@code file} (replacing it on close). */
    public static BatchFileWriter create(final Path file, final Schema schema) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("batch files are little-endian; native order is " + ByteOrder.nativeOrder());
        }
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        final BatchFileWriter writer;
        try {
            writer = new BatchFileWriter(file, temp, schema);
        } catch (final IOException ex) {
            // An interrupted or failed open may already have created the file: never leave it behind.
            final UncheckedIOException failure = new UncheckedIOException("cannot create batch file " + file, ex);
            deleteQuietly(temp, failure);
            throw failure;
        } catch (final RuntimeException | Error ex) {
            deleteQuietly(temp, ex);
            throw ex;
        }
        try {
            writer.writeHeader();
        } catch (final RuntimeException | Error ex) {
            writer.failed = true;
            Closing.closeAfter(writer, ex);
            throw ex;
        }
        return writer;
    }

    private static void deleteQuietly(final Path path, final Throwable cause) {
        try {
            Files.deleteIfExists(path);
        } catch (final IOException | RuntimeException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }


    public Path file() {
        return file;
    }

    public int batchCount() {
        return batchCount;
    }

    private void writeHeader() {
        int schemaLength = 0;
        for (final Field field : schema.fields()) {
            final int nameLength = field.name().getBytes(StandardCharsets.UTF_8).length;
            if (nameLength > 0xFFFF) {
                throw new IllegalArgumentException("field name too long for a batch file: bytes=" + nameLength);
            }
            schemaLength += BatchFileDescriptor.FIELD_FIXED_LENGTH + nameLength;
            if (schemaLength > BatchFileDescriptor.MAX_SCHEMA_LENGTH) {
                throw new IllegalArgumentException("schema too long for a batch file: over "
                    + BatchFileDescriptor.MAX_SCHEMA_LENGTH + " bytes at field '" + field.name() + "'");
            }
        }
        final ByteBuffer header = ByteBuffer.allocate(BatchFileDescriptor.SCHEMA_OFFSET + schemaLength).order(ByteOrder.LITTLE_ENDIAN);
        header.put(BatchFileDescriptor.MAGIC);
        header.putInt(BatchFileDescriptor.VERSION_OFFSET, BatchFileDescriptor.FORMAT_VERSION);
        header.putInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, schemaLength);
        header.putInt(BatchFileDescriptor.FIELD_COUNT_OFFSET, schema.fieldCount());
        header.position(BatchFileDescriptor.SCHEMA_OFFSET);
        for (final Field field : schema.fields()) {
            final byte[] name = field.name().getBytes(StandardCharsets.UTF_8);
            header.put((byte) field.type().code());
            header.put((byte) (field.isNullable() ? 1 : 0));
            header.putShort((short) name.length);
            header.put(name);
        }
        final byte[] array = header.array();
        crc.reset();
        crc.update(array, 0, BatchFileDescriptor.HEADER_CRC_OFFSET);
        crc.update(array, BatchFileDescriptor.SCHEMA_OFFSET, schemaLength);
        header.putInt(BatchFileDescriptor.HEADER_CRC_OFFSET, (int) crc.getValue());
        bytes.write(0, array, 0, array.length);
        position = array.length;
    }

    /** Appends {@code batch} (which must have this file's schema; slices are fine) as one record. */
    public void write(final Batch batch) {
        if (closed || failed) {
            throw new IllegalStateException("batch file writer for " + file + " is " + (closed ? "closed" : "failed"));
        }
        if (!batch.schema().equals(schema)) {
            throw new IllegalArgumentException("batch schema " + batch.schema() + " differs from file schema " + schema);
        }
        try {
            writeRecord(batch);
        } catch (final RuntimeException | Error ex) {
            failed = true;
            throw ex;
        }
    }

    private void writeRecord(final Batch batch) {
        final int fields = schema.fieldCount();
        final int rows = batch.rowCount();
        final long record = position;
        final int headerLength = BatchFileDescriptor.recordHeaderLength(fields);
        final ByteBuffer header = ByteBuffer.allocate(headerLength + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long at = record + BatchFileDescriptor.recordPayloadOffset(fields);
        for (int c = 0; c < fields; c++) {
            final AbstractColumnVector vector = batch.columnVector(c);
            final Field field = vector.field();
            final int entry = RECORD_COLUMNS_OFFSET + c * COLUMN_ENTRY_LENGTH;
            crc.reset();
            long validityLength = 0;
            if (field.isNullable()) {
                validityLength = writeBitmap(at, column(vector).validity.unsafeView(), vector.rowOffset, rows);
                at += validityLength;
            }
            long offsetsLength = 0;
            final long dataLength;
            if (field.type() == ColumnType.UTF8) {
                final UnsafeBuffer offsets = column(vector).offsets.unsafeView();
                final int base = offsets.getInt(vector.rowOffset << 2);
                offsetsLength = writeOffsets(at, offsets, vector.rowOffset, rows, base);
                at += offsetsLength;
                final int end = offsets.getInt((vector.rowOffset + rows) << 2);
                dataLength = writeBytes(at, column(vector).data.unsafeView(), base, end - base);
            } else if (field.type() == ColumnType.BOOLEAN) {
                dataLength = writeBitmap(at, column(vector).data.unsafeView(), vector.rowOffset, rows);
            } else {
                final int width = field.type().byteWidth();
                dataLength = writeBytes(at, column(vector).data.unsafeView(), vector.rowOffset * width, rows * width);
            }
            at += dataLength;
            header.putInt(entry + COLUMN_VALIDITY_LENGTH_OFFSET, (int) validityLength);
            header.putInt(entry + COLUMN_OFFSETS_LENGTH_OFFSET, (int) offsetsLength);
            header.putInt(entry + COLUMN_DATA_LENGTH_OFFSET, (int) dataLength);
            header.putInt(entry + COLUMN_CRC_OFFSET, (int) crc.getValue());
        }
        header.putInt(BatchFileDescriptor.RECORD_MARKER_OFFSET, BatchFileDescriptor.RECORD_MARKER);
        header.putInt(BatchFileDescriptor.RECORD_ROW_COUNT_OFFSET, rows);
        header.putLong(BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET, at - record - BatchFileDescriptor.recordPayloadOffset(fields));
        crc.reset();
        crc.update(header.array(), 0, headerLength);
        header.putInt(headerLength, (int) crc.getValue());
        bytes.write(record, header.array(), 0, header.capacity());
        position = at;
        batchCount++;
    }

    private static ColumnData column(final AbstractColumnVector vector) {
        return vector.column;
    }

    /** Writes bits {@code [bitOffset, bitOffset + rows)} re-packed from bit 0, unused high bits zero. */
    private long writeBitmap(final long at, final UnsafeBuffer bits, final int bitOffset, final int rows) {
        final long length = BatchFileDescriptor.bitmapLength(rows);
        long written = 0;
        int row = 0;
        while (written < length) {
            final int n = (int) Math.min(scratch.length, length - written);
            for (int i = 0; i < n; i++) {
                int value = 0;
                for (int b = 0; b < 8 && row < rows; b++, row++) {
                    if (AbstractColumnVector.bit(bits, bitOffset + row)) {
                        value |= 1 << b;
                    }
                }
                scratch[i] = (byte) value;
            }
            crc.update(scratch, 0, n);
            bytes.write(at + written, scratch, 0, n);
            written += n;
        }
        return length;
    }

    /** Writes {@code rows + 1} offsets from {@code firstRow}, rebased so the first is 0. */
    private long writeOffsets(final long at, final UnsafeBuffer offsets, final int firstRow, final int rows, final int base) {
        final UnsafeBuffer out = new UnsafeBuffer(scratch);
        final long length = (rows + 1L) * Integer.BYTES;
        long written = 0;
        int row = 0;
        while (written < length) {
            final int n = (int) Math.min(scratch.length, length - written);
            for (int i = 0; i < n; i += Integer.BYTES, row++) {
                out.putInt(i, offsets.getInt((firstRow + row) << 2) - base);
            }
            crc.update(scratch, 0, n);
            bytes.write(at + written, scratch, 0, n);
            written += n;
        }
        return length;
    }

    private long writeBytes(final long at, final UnsafeBuffer source, final int from, final int length) {
        int written = 0;
        while (written < length) {
            final int n = Math.min(scratch.length, length - written);
            source.getBytes(from + written, scratch, 0, n);
            crc.update(scratch, 0, n);
            bytes.write(at + written, scratch, 0, n);
            written += n;
        }
        return length;
    }

    private void writeFooter() {
        final ByteBuffer footer = ByteBuffer.allocate(BatchFileDescriptor.FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        footer.put(BatchFileDescriptor.FOOTER_MAGIC);
        footer.putInt(BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, batchCount);
        footer.putLong(BatchFileDescriptor.FOOTER_SELF_OFFSET, position);
        crc.reset();
        crc.update(footer.array(), 0, BatchFileDescriptor.FOOTER_CRC_OFFSET);
        footer.putInt(BatchFileDescriptor.FOOTER_CRC_OFFSET, (int) crc.getValue());
        bytes.write(position, footer.array(), 0, BatchFileDescriptor.FOOTER_LENGTH);
        position += BatchFileDescriptor.FOOTER_LENGTH;
    }

    /**
     * Writes the footer, unmaps the file, trims it to its length, forces it to disk and renames it to the final
     * name. After a failed write, or if finishing fails (an interrupt closes the channel, the disk is full), deletes
     * the temporary file instead: a writer never leaves its temporary file behind. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                if (!failed) {
                    writeFooter();
                }
            } finally {
                bytes.releaseLast();
            }
            if (failed) {
                Files.deleteIfExists(temp);
                return;
            }
            // MappedBytes grows the file by whole chunks: cut it back to the bytes written.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.truncate(position);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException ex) {
            final UncheckedIOException failure = new UncheckedIOException("cannot finish batch file " + file, ex);
            deleteQuietly(temp, failure);
            throw failure;
        } catch (final RuntimeException | Error ex) {
            deleteQuietly(temp, ex);
            throw ex;
        }
    }
}
