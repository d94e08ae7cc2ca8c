package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch files crafted to carry valid CRCs around bad counts, lengths and text: each gives a BatchFileException. */
class BatchFileHostileInputTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    private static int crc(final ByteBuffer bytes, final int from, final int length) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes.slice(from, length));
        return (int) crc.getValue();
    }

    private BatchFileException assertRejected(final Path file) {
        final BatchFileException ex = assertThrows(BatchFileException.class, () -> {
            try (BatchFileReader reader = BatchFileReader.open(file)) {
                for (final Batch batch : reader.readAll(allocator)) {
                    batch.release();
                }
            }
        });
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertEquals(0, allocator.bytesOutstanding(), "nothing half-read is kept");
        return ex;
    }

    private Path write(final String name, final Batch... batches) {
        final Path file = dir.resolve(name);
        try (BatchFileWriter writer = BatchFileWriter.create(file, batches[0].schema())) {
            for (final Batch batch : batches) {
                writer.write(batch);
            }
        }
        return file;
    }

    @Test
    void footerBatchCountBeyondWhatTheFileHoldsIsRejectedBeforeAllocating() throws IOException {
        final Path file;
        try (Batch batch = Batches.sample(allocator, 5, true)) {
            file = write("count.batches", batch);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final int footer = bytes.capacity() - BatchFileDescriptor.FOOTER_LENGTH;
        bytes.putInt(footer + BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, Integer.MAX_VALUE - 8);
        bytes.putInt(footer + BatchFileDescriptor.FOOTER_CRC_OFFSET, crc(bytes, footer, BatchFileDescriptor.FOOTER_CRC_OFFSET));
        Files.write(file, bytes.array());
        final BatchFileException ex = assertRejected(file);
        assertEquals(footer + BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, ex.offset());
        assertTrue(ex.getMessage().contains("batchCount=" + (Integer.MAX_VALUE - 8)), ex.getMessage());
    }

    @Test
    void invalidUtf8InAUtf8ColumnIsRejectedNamingColumnAndRow() {
        final Schema schema = Schema.of(Field.nullable("text", ColumnType.UTF8));
        final Path file;
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            builder.setUtf8(0, "fine").endRow().setNull(0).endRow();
            // 0xC3 0x28: a two-byte lead followed by a byte that is no continuation.
            builder.setUtf8(0, new byte[] {'o', 'k', (byte) 0xC3, 0x28}, 0, 4).endRow();
            try (Batch batch = builder.build()) {
                file = write("utf8.batches", batch);
            }
        }
        final BatchFileException ex = assertRejected(file);
        assertTrue(ex.getMessage().contains("column 'text' row 2 is not valid UTF-8 at byte 2"), ex.getMessage());
    }

    @Test
    void surrogateEncodedAsUtf8IsRejected() {
        final Path file;
        try (BatchBuilder builder = new BatchBuilder(allocator, Schema.of(Field.notNull("s", ColumnType.UTF8)))) {
            builder.setUtf8(0, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3).endRow();
            try (Batch batch = builder.build()) {
                file = write("surrogate.batches", batch);
            }
        }
        assertTrue(assertRejected(file).getMessage().contains("not valid UTF-8"));
    }

    /**
     * A sparse file of about 1.5 GiB holding one record whose UTF8 column claims 1.5 GiB of data: every length fits
     * the file and every header CRC is valid, but no buffer is that large.
     */
    @Test
    void columnLargerThanTheLargestBufferIsABatchFileException() throws IOException {
        final Path file = dir.resolve("huge-column.batches");
        final byte[] name = "s".getBytes(StandardCharsets.UTF_8);
        final int schemaLength = BatchFileDescriptor.FIELD_FIXED_LENGTH + name.length;
        final ByteBuffer header = ByteBuffer.allocate(BatchFileDescriptor.SCHEMA_OFFSET + schemaLength).order(ByteOrder.LITTLE_ENDIAN);
        header.put(BatchFileDescriptor.MAGIC);
        header.putInt(BatchFileDescriptor.VERSION_OFFSET, BatchFileDescriptor.FORMAT_VERSION);
        header.putInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, schemaLength);
        header.putInt(BatchFileDescriptor.FIELD_COUNT_OFFSET, 1);
        header.position(BatchFileDescriptor.SCHEMA_OFFSET);
        header.put((byte) ColumnType.UTF8.code()).put((byte) 0).putShort((short) name.length).put(name);
        final CRC32C headerCrc = new CRC32C();
        headerCrc.update(header.array(), 0, BatchFileDescriptor.HEADER_CRC_OFFSET);
        headerCrc.update(header.array(), BatchFileDescriptor.SCHEMA_OFFSET, schemaLength);
        header.putInt(BatchFileDescriptor.HEADER_CRC_OFFSET, (int) headerCrc.getValue());

        final int rows = 1;
        final int offsetsLength = (rows + 1) * Integer.BYTES;
        final int dataLength = (3 << 29) - 1;
        final int recordHeaderLength = BatchFileDescriptor.recordHeaderLength(1);
        final ByteBuffer record = ByteBuffer.allocate(recordHeaderLength + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(BatchFileDescriptor.RECORD_MARKER_OFFSET, BatchFileDescriptor.RECORD_MARKER);
        record.putInt(BatchFileDescriptor.RECORD_ROW_COUNT_OFFSET, rows);
        record.putLong(BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET, (long) offsetsLength + dataLength);
        final int entry = BatchFileDescriptor.RECORD_COLUMNS_OFFSET;
        record.putInt(entry + BatchFileDescriptor.COLUMN_OFFSETS_LENGTH_OFFSET, offsetsLength);
        record.putInt(entry + BatchFileDescriptor.COLUMN_DATA_LENGTH_OFFSET, dataLength);
        record.putInt(recordHeaderLength, crc(record, 0, recordHeaderLength));

        final long footerAt = header.capacity() + record.capacity() + (long) offsetsLength + dataLength;
        final ByteBuffer footer = ByteBuffer.allocate(BatchFileDescriptor.FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        footer.put(BatchFileDescriptor.FOOTER_MAGIC);
        footer.putInt(BatchFileDescriptor.FOOTER_BATCH_COUNT_OFFSET, 1);
        footer.putLong(BatchFileDescriptor.FOOTER_SELF_OFFSET, footerAt);
        footer.putInt(BatchFileDescriptor.FOOTER_CRC_OFFSET, crc(footer, 0, BatchFileDescriptor.FOOTER_CRC_OFFSET));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE)) {
            channel.write(header.clear(), 0);
            channel.write(record.clear(), header.capacity());
            channel.write(footer.clear(), footerAt);
        }
        final BatchFileException ex = assertRejected(file);
        assertTrue(ex.getMessage().contains("column 's'") && ex.getMessage().contains("over the largest buffer"), ex.getMessage());
    }

    /**
     * A file cut short after it was opened (another process truncating or rewriting it) used to fault inside the
     * mapping (SIGBUS, surfacing as InternalError, leaking what was read so far); now the read sees the short file.
     */
    @Test
    void fileTruncatedAfterOpenIsABatchFileExceptionAndLeaksNothing() throws IOException {
        final Schema schema = Schema.of(Field.notNull("v", ColumnType.INT64));
        final long[] values = new long[1 << 18];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        final Path file;
        try (BatchBuilder first = new BatchBuilder(allocator, schema, values.length);
             BatchBuilder second = new BatchBuilder(allocator, schema, values.length)) {
            try (Batch a = first.appendInt64Column(0, values).build(); Batch b = second.appendInt64Column(0, values).build()) {
                file = write("truncated.batches", a, b, a, b);
            }
        }
        final long size = Files.size(file);
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(size / 3);
            }
            final BatchFileException ex = assertThrows(BatchFileException.class, () -> reader.readAll(allocator));
            assertTrue(ex.getMessage().contains("truncated after open"), ex.getMessage());
            assertEquals(0, allocator.bytesOutstanding(), "batches read before the cut are released");
        }
    }

    @Test
    void fileRewrittenAfterOpenFailsItsCrcInsteadOfFaulting() throws IOException {
        final Path file;
        try (Batch batch = Batches.sample(allocator, 4_000, true)) {
            file = write("rewritten.batches", batch, batch);
        }
        final long size = Files.size(file);
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(BatchFileDescriptor.SCHEMA_OFFSET);
                channel.write(ByteBuffer.allocate((int) size - BatchFileDescriptor.SCHEMA_OFFSET), BatchFileDescriptor.SCHEMA_OFFSET);
            }
            assertThrows(BatchFileException.class, () -> reader.readAll(allocator));
            assertEquals(0, allocator.bytesOutstanding());
        }
    }

    @Test
    void schemaLengthOverTheLimitIsRejectedBeforeAllocating() throws IOException {
        final Path file;
        try (Batch batch = Batches.sample(allocator, 1, false)) {
            file = write("schema.batches", batch);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, BatchFileDescriptor.MAX_SCHEMA_LENGTH + 1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            channel.write(bytes, 0);
            channel.write(ByteBuffer.wrap(new byte[] {0}), BatchFileDescriptor.MAX_SCHEMA_LENGTH + 4096L);
        }
        final BatchFileException ex = assertRejected(file);
        assertEquals(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET, ex.offset());
    }

    @Test
    void readsEveryBatchBackWhenNothingIsWrong() {
        final Path file;
        try (Batch batch = Batches.sample(allocator, 777, true)) {
            file = write("fine.batches", batch, batch);
        }
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            final List<Batch> batches = reader.readAll(allocator);
            try {
                Batches.assertSample(batches.get(0), 0, 777, true);
                Batches.assertSample(batches.get(1), 0, 777, true);
            } finally {
                batches.forEach(Batch::release);
            }
        }
    }
}
