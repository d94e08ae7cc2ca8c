package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void everyTypeRoundTripsWithNulls() {
        try (Batch batch = Batches.sample(allocator, 100, true)) {
            Batches.assertSample(batch, 0, 100, true);
            assertEquals(100 / 7 + 1, batch.vector(0).nullCount());
        }
    }

    @Test
    void everyTypeRoundTripsWithoutNulls() {
        try (Batch batch = Batches.sample(allocator, 100, false)) {
            Batches.assertSample(batch, 0, 100, false);
            for (int c = 0; c < batch.columnCount(); c++) {
                assertEquals(0, batch.vector(c).nullCount());
            }
        }
    }

    @Test
    void emptyAndOneRowBatches() {
        try (Batch empty = Batches.sample(allocator, 0, true); Batch one = Batches.sample(allocator, 1, true)) {
            assertEquals(0, empty.rowCount());
            assertEquals(0L, empty.int64Vector(2).sum());
            assertThrows(IndexOutOfBoundsException.class, () -> empty.int64Vector(2).get(0));
            assertEquals(1, one.rowCount());
            Batches.assertSample(one, 0, 1, true);
        }
    }

    @Test
    void millionRowBatchRoundTrips() {
        final int rows = 1_000_000;
        try (Batch batch = Batches.sample(allocator, rows, true)) {
            assertEquals(rows, batch.rowCount());
            Batches.assertSample(batch, 0, rows, true);
        }
    }

    @Test
    void utf8ValuesOfZeroBytesOneMebibyteAndNonAscii() {
        final char[] big = new char[1 << 20];
        Arrays.fill(big, 'x');
        final String mebibyte = new String(big);
        final String[] values = {"", mebibyte, "grüße, 日本語, emoji \uD83D\uDE00", "", "ascii"};
        final Schema schema = Schema.of(Field.notNull("s", ColumnType.UTF8));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 1)) {
            for (final String value : values) {
                builder.setUtf8(0, value).endRow();
            }
            try (Batch batch = builder.build()) {
                final Utf8Vector vector = batch.utf8Vector(0);
                for (int row = 0; row < values.length; row++) {
                    assertEquals(values[row], vector.getString(row));
                    final byte[] expected = values[row].getBytes(StandardCharsets.UTF_8);
                    assertEquals(expected.length, vector.length(row));
                    assertTrue(vector.equalsBytes(row, expected));
                    assertEquals(0, vector.compareTo(row, expected));
                    final UnsafeBuffer direct = new UnsafeBuffer(new byte[expected.length]);
                    assertEquals(expected.length, vector.getBytes(row, direct, 0));
                    assertArrayEquals(expected, direct.byteArray());
                }
                assertEquals(1 << 20, vector.length(1));
                assertTrue(vector.compareTo(4, "asciz".getBytes(StandardCharsets.UTF_8)) < 0);
                assertTrue(vector.compareTo(4, "asc".getBytes(StandardCharsets.UTF_8)) > 0);
                assertThrows(IndexOutOfBoundsException.class, () -> vector.getBytes(4, new byte[3], 0));
            }
        }
    }

    @Test
    void utf8HashIsXxHash64() {
        final Schema schema = Schema.of(Field.notNull("s", ColumnType.UTF8));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            builder.setUtf8(0, "").endRow().setUtf8(0, "abc").endRow();
            try (Batch batch = builder.build()) {
                // Reference values of XXH64 with seed 0.
                assertEquals(0xEF46DB3751D8E999L, batch.utf8Vector(0).hash(0));
                assertEquals(0x44BC2CF5AD770999L, batch.utf8Vector(0).hash(1));
            }
        }
    }

    @Test
    void sliceSeesExactlyItsRowsWithoutCopying() {
        try (Batch batch = Batches.sample(allocator, 50, true)) {
            final long before = allocator.bytesOutstanding();
            for (final int[] range : new int[][] {{0, 50}, {3, 20}, {7, 8}, {13, 13}, {49, 50}}) {
                try (Batch slice = batch.slice(range[0], range[1])) {
                    assertEquals(before, allocator.bytesOutstanding(), "slices allocate nothing");
                    assertEquals(range[1] - range[0], slice.rowCount());
                    Batches.assertSample(slice, range[0], range[1] - range[0], true);
                    assertThrows(IndexOutOfBoundsException.class, () -> slice.int64Vector(2).get(slice.rowCount()));
                    assertThrows(IndexOutOfBoundsException.class, () -> slice.booleanVector(0).get(-1));
                    long expected = 0;
                    for (int row = range[0]; row < range[1]; row++) {
                        expected += Batches.isNull(row, true) ? 0 : Batches.int64(row);
                    }
                    assertEquals(expected, slice.int64Vector(2).sum());
                    try (Batch nested = slice.slice(0, slice.rowCount() / 2)) {
                        Batches.assertSample(nested, range[0], slice.rowCount() / 2, true);
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> batch.slice(10, 51));
            assertThrows(IndexOutOfBoundsException.class, () -> batch.slice(10, 9));
        }
    }

    @Test
    void emptySliceAtTheEndOfAFullBufferIsValid() {
        final Schema schema = Schema.of(Field.notNull("v", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 8)) {
            builder.appendInt64Column(0, new long[] {1, 2, 3, 4, 5, 6, 7, 8});
            try (Batch batch = builder.build(); Batch tail = batch.slice(8, 8)) {
                assertEquals(0, tail.rowCount());
                assertEquals(0L, tail.int64Vector(0).sum());
                assertEquals(36L, batch.int64Vector(0).sum());
            }
        }
    }

    @Test
    void sliceKeepsParentBuffersUntilItIsReleased() {
        final Batch batch = Batches.sample(allocator, 20, true);
        final Batch slice = batch.slice(5, 15);
        assertEquals(2, batch.refCount());
        batch.release();
        assertFalse(batch.isReleased(), "slice still holds the parent");
        assertTrue(allocator.bytesOutstanding() > 0);
        Batches.assertSample(slice, 5, 10, true);
        slice.release();
        assertTrue(batch.isReleased());
        assertEquals(0, allocator.bytesOutstanding());
        assertThrows(IllegalStateException.class, () -> slice.int64Vector(2));
    }

    @Test
    void releasedSliceCannotBeReadEvenWhileParentLives() {
        try (Batch batch = Batches.sample(allocator, 20, false)) {
            final Batch slice = batch.slice(0, 10);
            final Int64Vector vector = slice.int64Vector(2);
            slice.release();
            assertThrows(IllegalStateException.class, () -> vector.get(0));
            assertEquals(Batches.int64(0), batch.int64Vector(2).get(0));
            assertEquals(1, batch.refCount());
        }
    }

    @Test
    void useAfterReleaseDoubleReleaseAndPastRowCountThrow() {
        final Batch batch = Batches.sample(allocator, 10, true);
        final Int64Vector longs = batch.int64Vector(2);
        final Utf8Vector strings = batch.utf8Vector(4);
        final IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> longs.get(10));
        assertEquals("column 'i64' row 10 out of range [0, 10)", past.getMessage());
        batch.retain();
        batch.release();
        batch.close();
        assertThrows(IllegalStateException.class, () -> longs.get(0));
        assertThrows(IllegalStateException.class, () -> longs.isNull(0));
        assertThrows(IllegalStateException.class, longs::sum);
        assertThrows(IllegalStateException.class, longs::dataBuffer);
        assertThrows(IllegalStateException.class, () -> strings.getString(0));
        assertThrows(IllegalStateException.class, () -> batch.vector(0));
        assertThrows(IllegalStateException.class, () -> batch.slice(0, 1));
        assertThrows(IllegalStateException.class, batch::retain);
        final IllegalStateException twice = assertThrows(IllegalStateException.class, batch::release);
        assertTrue(twice.getMessage().contains("released twice"), twice.getMessage());
    }

    @Test
    void wrongTypedAccessNamesTheColumn() {
        try (Batch batch = Batches.sample(allocator, 3, true)) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> batch.int32Vector(2));
            assertTrue(ex.getMessage().contains("'i64'"), ex.getMessage());
            assertEquals(ColumnType.UTF8, batch.vector("s").type());
        }
    }

    @Test
    void dataBufferExposesValuesForHotLoops() {
        try (Batch batch = Batches.sample(allocator, 1000, false); Batch slice = batch.slice(10, 20)) {
            final Int64Vector vector = slice.int64Vector(2);
            assertEquals(80, vector.dataBuffer().capacity());
            for (int row = 0; row < 10; row++) {
                assertEquals(vector.get(row), vector.dataBuffer().getLong(row * 8));
            }
            assertEquals(slice.int32Vector(1).get(3), slice.int32Vector(1).dataBuffer().getInt(12));
            assertEquals(slice.float64Vector(3).get(3), slice.float64Vector(3).dataBuffer().getDouble(24));
        }
    }

    // ---- Batch.share: columns of other batches without a copy, each buffer freed by its last holder ----

    @Test
    void sharedColumnsOfASliceOutliveTheirSources() {
        final Batch shared;
        try (Batch sample = Batches.sample(allocator, 100, true); Batch slice = sample.slice(10, 60)) {
            final long before = allocator.bytesOutstanding();
            shared = Batch.share(Batches.schema(true), new Batch[] {slice, slice, slice, slice, slice}, new int[] {0, 1, 2, 3, 4});
            assertEquals(before, allocator.bytesOutstanding(), "sharing allocates no column memory");
            assertEquals(1, slice.refCount(), "the shared batch holds the buffers, not the slice");
            assertFalse(shared.isSlice());
        }
        try (shared) {
            assertTrue(allocator.bytesOutstanding() > 0, "the buffers live on in the shared batch");
            Batches.assertSample(shared, 10, 50, true);
            assertEquals(10, ColumnBuffers.rowOffset(shared, 2));
        }
    }

    @Test
    void sharedColumnsOfTwoBatchesRenamedAndRepeated() {
        final Schema other = Schema.of(Field.notNull("x", ColumnType.INT64));
        final Schema schema = Schema.of(Field.notNull("key", ColumnType.INT64), Field.notNull("text", ColumnType.UTF8),
            Field.notNull("x", ColumnType.INT64), Field.notNull("key2", ColumnType.INT64));
        try (Batch sample = Batches.sample(allocator, 20, false); Batch xs = longs(other, 20)) {
            try (Batch shared = Batch.share(schema, new Batch[] {sample, sample, xs, sample}, new int[] {2, 4, 0, 2})) {
                assertEquals(schema, shared.schema());
                for (int c = 0; c < schema.fieldCount(); c++) {
                    assertEquals(schema.field(c), shared.vector(c).field(), "column " + c + " carries the new field");
                }
                for (int row = 0; row < 20; row++) {
                    assertEquals(Batches.int64(row), shared.int64Vector(0).get(row));
                    assertEquals(Batches.utf8(row), shared.utf8Vector(1).getString(row));
                    assertEquals(row * 3L, shared.int64Vector(2).get(row));
                    assertEquals(Batches.int64(row), shared.int64Vector(3).get(row));
                }
            }
            assertEquals(Batches.int64(19), sample.int64Vector(2).get(19), "the sources stay readable");
            assertEquals(57L, xs.int64Vector(0).get(19));
        }
    }

    @Test
    void sharedBatchThrowsOnUseAfterReleaseAndDoubleRelease() {
        try (Batch sample = Batches.sample(allocator, 8, false)) {
            final Batch shared = Batch.share(Schema.of(Field.notNull("i64", ColumnType.INT64)), new Batch[] {sample},
                new int[] {2});
            shared.release();
            assertTrue(shared.isReleased());
            assertThrows(IllegalStateException.class, () -> shared.int64Vector(0));
            assertThrows(IllegalStateException.class, shared::release);
            assertThrows(IllegalStateException.class, () -> Batch.share(shared.schema(), new Batch[] {shared}, new int[] {0}));
            assertEquals(Batches.int64(7), sample.int64Vector(2).get(7), "the source keeps its own references");
        }
    }

    @Test
    void shareRefusesBadArgumentsWithoutRetainingAnything() {
        try (Batch sample = Batches.sample(allocator, 8, true); Batch shorter = Batches.sample(allocator, 7, true)) {
            final Schema twoLongs = Schema.of(Field.nullable("a", ColumnType.INT64), Field.nullable("b", ColumnType.INT64));
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(twoLongs, new Batch[] {sample, shorter}, new int[] {2, 2}), "row counts differ");
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(twoLongs, new Batch[] {sample, sample}, new int[] {2, 1}), "INT32 is not INT64");
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(Schema.of(Field.notNull("a", ColumnType.INT64)), new Batch[] {sample}, new int[] {2}),
                "nullability differs");
            assertThrows(IndexOutOfBoundsException.class,
                () -> Batch.share(twoLongs, new Batch[] {sample, sample}, new int[] {2, 5}));
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(twoLongs, new Batch[] {sample}, new int[] {2}), "one source per field");
            // a later field failing leaves no reference taken for the earlier ones
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(twoLongs, new Batch[] {sample, sample}, new int[] {2, 4}));
        }
    }

    @Test
    void aThrowingStepReleasesTheBatchesHeldAndPropagatesItsFailure() {
        final Schema schema = Schema.of(Field.notNull("v", ColumnType.INT64));
        final List<Batch> held = List.of(longs(schema, 4), longs(schema, 8));
        Batch.releaseAllIfThrows(held, () -> { });
        assertTrue(allocator.bytesOutstanding() > 0, "a step that returns leaves the batches with the caller");
        final OutOfMemoryError failure = new OutOfMemoryError("injected");
        assertSame(failure, assertThrows(OutOfMemoryError.class, () -> Batch.releaseAllIfThrows(held, () -> {
            throw failure;
        })));
        assertEquals(0, allocator.bytesOutstanding(), "the failed step released both batches");
    }

    private Batch longs(final Schema schema, final int rows) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, rows)) {
            for (int row = 0; row < rows; row++) {
                builder.setInt64(0, row * 3L);
                builder.endRow();
            }
            return builder.build();
        }
    }
}
