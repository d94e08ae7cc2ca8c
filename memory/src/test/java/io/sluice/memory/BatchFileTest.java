package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFileTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    private static void releaseAll(final List<Batch> batches) {
        for (final Batch batch : batches) {
            batch.release();
        }
    }

    private List<Batch> readAll(final Path file) {
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            return reader.readAll(allocator);
        }
    }

    @Test
    void manyBatchesOfEveryTypeRoundTrip() {
        final Path file = dir.resolve("many.batches");
        try (Batch nulls = Batches.sample(allocator, 300, true); Batch plain = Batches.sample(allocator, 300, false);
             Batch empty = Batches.sample(allocator, 0, true); Batch one = Batches.sample(allocator, 1, true);
             Batch slice = nulls.slice(13, 250)) {
            try (BatchFileWriter writer = BatchFileWriter.create(file, nulls.schema())) {
                writer.write(nulls);
                writer.write(empty);
                writer.write(one);
                writer.write(slice);
                assertEquals(4, writer.batchCount());
                assertFalse(Files.exists(file), "final name appears only on close");
            }
            assertFalse(Files.exists(dir.resolve("many.batches.tmp")));
            try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve("plain.batches"), plain.schema())) {
                writer.write(plain);
            }
        }
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            assertEquals(Batches.schema(true), reader.schema());
            assertEquals(4, reader.batchCount());
            final List<Batch> batches = reader.readAll(allocator);
            try {
                Batches.assertSample(batches.get(0), 0, 300, true);
                Batches.assertSample(batches.get(1), 0, 0, true);
                Batches.assertSample(batches.get(2), 0, 1, true);
                Batches.assertSample(batches.get(3), 13, 237, true);
            } finally {
                releaseAll(batches);
            }
        }
        final List<Batch> plain = readAll(dir.resolve("plain.batches"));
        try {
            Batches.assertSample(plain.get(0), 0, 300, false);
        } finally {
            releaseAll(plain);
        }
    }

    @Test
    void fileWithNoBatchesRoundTrips() {
        final Path file = dir.resolve("empty.batches");
        BatchFileWriter.create(file, Batches.schema(false)).close();
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            assertEquals(0, reader.batchCount());
            assertTrue(reader.readAll(allocator).isEmpty());
        }
    }

    @Test
    void millionRowsAndMebibyteValueRoundTrip() {
        final Path file = dir.resolve("big.batches");
        final char[] big = new char[1 << 20];
        Arrays.fill(big, 'é');
        final String value = new String(big);
        try (Batch million = Batches.sample(allocator, 1_000_000, true);
             BatchBuilder builder = new BatchBuilder(allocator, Schema.of(Field.nullable("s", ColumnType.UTF8)))) {
            builder.setUtf8(0, "").endRow().setUtf8(0, value).endRow().setNull(0).endRow();
            try (Batch strings = builder.build()) {
                try (BatchFileWriter writer = BatchFileWriter.create(file, million.schema())) {
                    writer.write(million);
                }
                try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve("s.batches"), strings.schema())) {
                    writer.write(strings);
                }
            }
        }
        final List<Batch> read = readAll(file);
        try {
            Batches.assertSample(read.get(0), 0, 1_000_000, true);
        } finally {
            releaseAll(read);
        }
        final List<Batch> strings = readAll(dir.resolve("s.batches"));
        try {
            assertEquals("", strings.get(0).utf8Vector(0).getString(0));
            assertEquals(value, strings.get(0).utf8Vector(0).getString(1));
            assertEquals(2 << 20, strings.get(0).utf8Vector(0).length(1));
            assertTrue(strings.get(0).utf8Vector(0).isNull(2));
        } finally {
            releaseAll(strings);
        }
    }

    private Path smallFile() {
        final Path file = dir.resolve("small.batches");
        try (Batch first = Batches.sample(allocator, 10, true); Batch second = Batches.sample(allocator, 3, true);
             BatchFileWriter writer = BatchFileWriter.create(file, first.schema())) {
            writer.write(first);
            writer.write(second);
        }
        return file;
    }

    private void assertRejected(final Path file, final String what) {
        final BatchFileException ex = assertThrows(BatchFileException.class, () -> releaseAll(readAll(file)), what);
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("offset=" + ex.offset()), ex.getMessage());
        assertTrue(ex.offset() >= 0, ex.getMessage());
        assertEquals(0, allocator.bytesOutstanding(), "nothing half-read is kept: " + what);
    }

    @Test
    void everySingleByteCorruptionIsDetected() throws IOException {
        final byte[] good = Files.readAllBytes(smallFile());
        final Path bad = dir.resolve("bad.batches");
        for (int i = 0; i < good.length; i++) {
            for (final int flip : new int[] {0xFF, 0x01}) {
                final byte[] corrupt = good.clone();
                corrupt[i] ^= (byte) flip;
                Files.write(bad, corrupt);
                assertRejected(bad, "byte " + i + " of " + good.length + " xor " + flip);
            }
        }
    }

    @Test
    void truncationAtEvery64ByteBoundaryIsDetected() throws IOException {
        final byte[] good = Files.readAllBytes(smallFile());
        final Path bad = dir.resolve("torn.batches");
        for (int length = 0; length < good.length; length += 64) {
            Files.write(bad, Arrays.copyOf(good, length));
            assertRejected(bad, "truncated to " + length + " of " + good.length);
        }
        Files.write(bad, Arrays.copyOf(good, good.length - 1));
        assertRejected(bad, "missing last byte");
        final byte[] longer = Arrays.copyOf(good, good.length + 1);
        Files.write(bad, longer);
        assertRejected(bad, "one trailing byte");
    }

    @Test
    void wrongMagicAndWrongVersionAreNamed() throws IOException {
        final byte[] good = Files.readAllBytes(smallFile());
        final Path bad = dir.resolve("other.batches");
        final byte[] magic = good.clone();
        magic[0] = 'X';
        Files.write(bad, magic);
        final BatchFileException wrongMagic = assertThrows(BatchFileException.class, () -> BatchFileReader.open(bad).close());
        assertEquals(0, wrongMagic.offset());
        assertTrue(wrongMagic.getMessage().contains("wrong magic"), wrongMagic.getMessage());
        final byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putInt(BatchFileDescriptor.VERSION_OFFSET, 2);
        Files.write(bad, version);
        final BatchFileException wrongVersion = assertThrows(BatchFileException.class, () -> BatchFileReader.open(bad).close());
        assertEquals(BatchFileDescriptor.VERSION_OFFSET, wrongVersion.offset());
        assertTrue(wrongVersion.getMessage().contains("unsupported format version=2"), wrongVersion.getMessage());
    }

    @Test
    void writerRejectsBatchesOfAnotherSchemaAndWritesNothingAfterClose() {
        final Path file = dir.resolve("other-schema.batches");
        try (Batch batch = Batches.sample(allocator, 5, true)) {
            final BatchFileWriter writer = BatchFileWriter.create(file, Batches.schema(false));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> writer.write(batch));
            assertTrue(ex.getMessage().contains("differs from file schema"), ex.getMessage());
            writer.close();
            assertThrows(IllegalStateException.class, () -> writer.write(batch));
        }
        assertFalse(Files.exists(dir.resolve("other-schema.batches.tmp")));
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            assertEquals(0, reader.batchCount());
        }
    }

    private void assertFolderHoldsOnly(final String... names) throws IOException {
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            assertEquals(java.util.Set.of(names), list.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    /** A write attempt interrupted at any step (a losing speculative copy) leaves no temporary file behind. */
    @Test
    void interruptedWriterLeavesNoTemporaryFile() throws IOException {
        final Path file = dir.resolve("interrupted.batches");
        try (Batch batch = Batches.sample(allocator, 50, true)) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(RuntimeException.class, () -> BatchFileWriter.create(file, batch.schema()).close(), "interrupted at create");
            } finally {
                Thread.interrupted();
            }
            assertFolderHoldsOnly();
            final BatchFileWriter writer = BatchFileWriter.create(file, batch.schema());
            writer.write(batch);
            Thread.currentThread().interrupt();
            try {
                assertThrows(RuntimeException.class, writer::close, "interrupted at close");
            } finally {
                Thread.interrupted();
            }
            assertFolderHoldsOnly();
        }
    }
}
