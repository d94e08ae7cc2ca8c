package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Batch#share}: columns of other batches without a copy, each buffer freed by its last holder. */
class BatchShareTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void everyColumnOfASliceOutlivesItsSources() {
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
    void columnsOfTwoBatchesRenamedAndRepeated() {
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
    void useAfterReleaseAndDoubleReleaseThrow() {
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
    void badArgumentsAreRefusedWithoutRetainingAnything() {
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
