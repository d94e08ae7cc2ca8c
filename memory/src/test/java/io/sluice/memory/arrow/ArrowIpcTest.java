package io.sluice.memory.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Batches;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowIpcTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void everyTypeNullsEmptyBatchesAndSlicesRoundTripInBothFormats() {
        for (final boolean nulls : new boolean[] {true, false}) {
            try (Batch full = Batches.sample(allocator, 300, nulls); Batch empty = Batches.sample(allocator, 0, nulls);
                 Batch one = Batches.sample(allocator, 1, nulls); Batch odd = full.slice(13, 250);
                 Batch aligned = full.slice(16, 299); Batch emptySlice = full.slice(77, 77)) {
                final List<Batch> written = List.of(full, empty, one, odd, aligned, emptySlice);
                final Path file = dir.resolve("sample-" + nulls + ".arrow");
                ArrowBatches.writeFile(file, full.schema(), written);
                assertFalse(Files.exists(dir.resolve("sample-" + nulls + ".arrow.tmp")));
                final byte[] stream = ArrowBatches.writeStream(full.schema(), written);
                try (ArrowTable fromFile = ArrowIpcReader.read(file, allocator);
                     ArrowTable fromStream = ArrowIpcReader.readStream(Channels.newChannel(new ByteArrayInputStream(stream)),
                         "memory", allocator)) {
                    for (final ArrowTable table : List.of(fromFile, fromStream)) {
                        assertEquals(Batches.schema(nulls), table.schema());
                        assertEquals(6, table.batches().size());
                        Batches.assertSample(table.batches().get(0), 0, 300, nulls);
                        Batches.assertSample(table.batches().get(1), 0, 0, nulls);
                        Batches.assertSample(table.batches().get(2), 0, 1, nulls);
                        Batches.assertSample(table.batches().get(3), 13, 237, nulls);
                        Batches.assertSample(table.batches().get(4), 16, 283, nulls);
                        Batches.assertSample(table.batches().get(5), 77, 0, nulls);
                    }
                }
            }
        }
    }

    @Test
    void streamFormatInAFileIsReadByTheSameEntryPoint() throws IOException {
        try (Batch batch = Batches.sample(allocator, 50, true)) {
            final Path file = dir.resolve("sample.arrows");
            Files.write(file, ArrowBatches.writeStream(batch.schema(), List.of(batch)));
            try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
                Batches.assertSample(table.batches().get(0), 0, 50, true);
            }
            assertEquals(batch.schema(), ArrowIpcReader.readSchema(file));
        }
    }

    @Test
    void fileWithNoBatchesKeepsItsSchema() {
        final Path file = dir.resolve("none.arrow");
        ArrowIpcWriter.file(file, Batches.schema(true)).close();
        try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
            assertEquals(Batches.schema(true), table.schema());
            assertTrue(table.batches().isEmpty());
        }
        assertEquals(Batches.schema(true), ArrowIpcReader.readSchema(file));
    }

    @Test
    void fileLayoutIsArrowByteForByte() throws IOException {
        final Path file = dir.resolve("layout.arrow");
        try (Batch batch = Batches.sample(allocator, 3, false)) {
            ArrowBatches.writeFile(file, batch.schema(), List.of(batch));
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final byte[] head = new byte[8];
        bytes.get(0, head);
        assertEquals("ARROW1\0\0", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(-1, bytes.getInt(8), "continuation marker");
        final int schemaLength = bytes.getInt(12);
        assertEquals(0, (8 + schemaLength) % 8, "schema message padded to 8");
        assertEquals(-1, bytes.getInt(16 + schemaLength), "record batch message follows");
        final int size = bytes.capacity();
        final byte[] tail = new byte[6];
        bytes.get(size - 6, tail);
        assertEquals("ARROW1", new String(tail, java.nio.charset.StandardCharsets.US_ASCII));
        final int footer = bytes.getInt(size - 10);
        final long end = size - 10 - footer;
        assertEquals(-1, bytes.getInt((int) end - 8), "end-of-stream marker before the footer");
        assertEquals(0, bytes.getInt((int) end - 4));
    }

    @Test
    void alignedColumnsAreWrittenWithoutACopy() {
        // The writer's body pieces for an aligned batch are views of the vectors' own memory.
        try (Batch batch = Batches.sample(allocator, 64, true)) {
            final RecordBatchEncoder encoder = new RecordBatchEncoder();
            encoder.encode(batch);
            final long values = org.agrona.BufferUtil.address(ColumnBuffers.data(batch, 2));
            boolean found = false;
            for (final ByteBuffer piece : encoder.pieces()) {
                found |= piece.isDirect() && org.agrona.BufferUtil.address(piece) == values;
            }
            assertTrue(found, "INT64 values go out as a view of the column buffer");
        }
    }

    @Test
    void mebibyteStringsAndNonAsciiRoundTrip() {
        final String big = "ü".repeat(1 << 19) + "日本";
        final Schema schema = Schema.of(Field.nullable("s", ColumnType.UTF8), Field.notNull("n", ColumnType.INT32));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            builder.setUtf8(0, big).setInt32(1, 1).endRow().setNull(0).setInt32(1, 2).endRow().setUtf8(0, "").setInt32(1, 3).endRow();
            try (Batch batch = builder.build()) {
                final Path file = dir.resolve("big.arrow");
                ArrowBatches.writeFile(file, schema, List.of(batch));
                try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
                    ArrowBatches.assertSameRows(batch, table.batches().get(0));
                }
            }
        }
    }

    @Test
    void valuesUnderNullsFromOtherWritersAreZeroedAndNullStringsEmptied() {
        // Arrow leaves values under nulls unspecified; Sluice's vectors expect zeros (and empty strings).
        final Schema schema = Schema.of(Field.nullable("b", ColumnType.BOOLEAN), Field.nullable("i", ColumnType.INT64),
            Field.nullable("s", ColumnType.UTF8));
        final io.sluice.memory.OffHeapBuffer[] validity = new io.sluice.memory.OffHeapBuffer[3];
        final io.sluice.memory.OffHeapBuffer[] data = new io.sluice.memory.OffHeapBuffer[3];
        final io.sluice.memory.OffHeapBuffer[] offsets = new io.sluice.memory.OffHeapBuffer[3];
        for (int c = 0; c < 3; c++) {
            validity[c] = allocator.allocate(1);
            validity[c].putByte(0, (byte) 0b101);
        }
        data[0] = allocator.allocate(1);
        data[0].putByte(0, (byte) 0b111);
        data[1] = allocator.allocate(24);
        data[1].putLong(0, 10);
        data[1].putLong(8, 99);
        data[1].putLong(16, 30);
        offsets[2] = allocator.allocate(16);
        offsets[2].putInt(4, 2);
        offsets[2].putInt(8, 7);
        offsets[2].putInt(12, 9);
        data[2] = allocator.allocate(9);
        final byte[] text = "abGARBAGEcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 9; i++) {
            data[2].putByte(i, text[i < 2 ? i : i < 7 ? i : i + 2]);
        }
        final Path file = dir.resolve("garbage.arrow");
        try (Batch raw = ColumnBuffers.wrap(schema, 3, validity, offsets, data)) {
            ArrowBatches.writeFile(file, schema, List.of(raw));
        }
        try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
            final Batch batch = table.batches().get(0);
            assertTrue(batch.vector(0).isNull(1) && batch.vector(1).isNull(1) && batch.vector(2).isNull(1));
            assertEquals(false, ((io.sluice.memory.BooleanVector) batch.vector(0)).get(1));
            assertEquals(40, batch.int64Vector(1).sum(), "the 99 under the null is zeroed");
            assertEquals(0, batch.utf8Vector(2).length(1));
            assertEquals("ab", batch.utf8Vector(2).getString(0));
            assertEquals("cd", batch.utf8Vector(2).getString(2));
        }
    }

    @Test
    void writerRejectsAnotherSchemaAndUseAfterClose() {
        final Path file = dir.resolve("other.arrow");
        try (Batch batch = Batches.sample(allocator, 5, true)) {
            final ArrowIpcWriter writer = ArrowIpcWriter.file(file, Batches.schema(false));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> writer.write(batch));
            assertTrue(ex.getMessage().contains("differs"), ex.getMessage());
            writer.close();
            assertThrows(IllegalStateException.class, () -> writer.write(batch));
        }
        try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
            assertEquals(0, table.batches().size());
        }
    }
}
