package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.agrona.MutableDirectBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void columnOverTheLargestBufferIsAColumnCapacityExceptionNamingTheColumn() {
        final Schema schema = Schema.of(Field.notNull("small", ColumnType.BOOLEAN), Field.notNull("wide", ColumnType.INT64));
        final int rows = (BufferAllocator.MAX_SIZE_CLASS / Long.BYTES) + 1;
        final ColumnCapacityException ex = assertThrows(ColumnCapacityException.class,
            () -> new BatchBuilder(allocator, schema, rows).close());
        assertEquals("wide", ex.column());
        assertTrue(ex.getMessage().contains("over the largest buffer of " + BufferAllocator.MAX_SIZE_CLASS), ex.getMessage());
        assertEquals(0, allocator.bytesOutstanding(), "the first column's buffer is released");
    }

    @Test
    void appendsWholeColumnsFromArrays() {
        final Schema schema = Batches.schema(true);
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 1)) {
            builder.appendBooleanColumn(0, new boolean[] {true, false, true})
                .appendInt32Column(1, new int[] {1, 2, 3})
                .appendInt64Column(2, new long[] {10L, Long.MIN_VALUE, Long.MAX_VALUE})
                .appendFloat64Column(3, new double[] {0.5, Double.NaN, -0.0})
                .appendUtf8Column(4, new String[] {"x", null, "ζ"});
            try (Batch batch = builder.build()) {
                assertEquals(3, batch.rowCount());
                assertTrue(batch.booleanVector(0).get(2));
                assertEquals(3, batch.int32Vector(1).get(2));
                assertEquals(Long.MIN_VALUE, batch.int64Vector(2).get(1));
                assertTrue(Double.isNaN(batch.float64Vector(3).get(1)));
                assertTrue(batch.utf8Vector(4).isNull(1));
                assertEquals("ζ", batch.utf8Vector(4).getString(2));
            }
        }
    }

    @Test
    void appendsColumnsAndValuesFromAnotherBatch() {
        try (Batch source = Batches.sample(allocator, 40, true); Batch slice = source.slice(5, 30)) {
            try (BatchBuilder builder = new BatchBuilder(allocator, source.schema(), 1)) {
                for (int c = 0; c < 5; c++) {
                    builder.appendColumn(c, slice.vector(c));
                }
                for (int row = 30; row < 40; row++) {
                    builder.appendRow(source, row);
                }
                try (Batch copy = builder.build()) {
                    Batches.assertSample(copy, 5, 35, true);
                }
            }
        }
    }

    @Test
    void appendRowsCopiesRunsOfASliceInBulkWithNulls() {
        for (final boolean nulls : new boolean[] {true, false}) {
            try (Batch source = Batches.sample(allocator, 60, nulls); Batch slice = source.slice(5, 50)) {
                try (BatchBuilder builder = new BatchBuilder(allocator, source.schema(), 1)) {
                    builder.appendRows(slice, 0, 3).appendRows(slice, 3, 0).appendRows(slice, 3, 1).appendRow(slice, 4);
                    builder.appendRows(slice, 5, 30).appendRows(slice, 35, 10);
                    assertEquals(45, builder.rowCount());
                    builder.appendRows(source, 50, 10);
                    try (Batch copy = builder.build()) {
                        Batches.assertSample(copy, 5, 55, nulls);
                    }
                }
            }
        }
    }

    /**
     * Runs copied into a nullable target keep each row's validity whether source and target start on a byte of the
     * validity bitmap (whole bytes copied) or not (bit by bit), and a source without validity gives valid rows.
     */
    @Test
    void appendRowsIntoANullableTargetKeepsValidityAtEveryAlignment() {
        final int[] cuts = {0, 8, 24, 27, 64, 65, 72, 130, 136, 200, 280};
        for (final boolean nulls : new boolean[] {true, false}) {
            for (final int offset : new int[] {0, 8, 5, 16}) {
                try (Batch source = Batches.sample(allocator, 300, nulls); Batch slice = source.slice(offset, offset + 280);
                     BatchBuilder builder = new BatchBuilder(allocator, Batches.schema(true), 1)) {
                    for (int k = 1; k < cuts.length; k++) {
                        builder.appendRows(slice, cuts[k - 1], cuts[k] - cuts[k - 1]);
                    }
                    try (Batch copy = builder.build()) {
                        Batches.assertSample(copy, offset, 280, nulls);
                        for (int row = 0; row < 280; row++) {
                            for (int c = 0; c < 5; c++) {
                                assertEquals(Batches.isNull(offset + row, nulls), copy.vector(c).isNull(row),
                                    "nulls=" + nulls + " offset=" + offset + " row=" + row + " column=" + c);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void appendGatheredMatchesValueByValueCopiesWithRepeatsAndNegativeRowsAsNull() {
        final int[] rows = {0, 39, 3, 3, 3, -1, 7, 2, -1, 39, 10, 11, 12, 1};
        try (Batch source = Batches.sample(allocator, 60, true); Batch slice = source.slice(5, 45);
            BatchBuilder gathered = new BatchBuilder(allocator, source.schema(), 1);
            BatchBuilder reference = new BatchBuilder(allocator, source.schema(), 1)) {
            gathered.appendRow(slice, 9);
            reference.appendRow(slice, 9);
            for (int c = 0; c < 5; c++) {
                gathered.appendGathered(c, slice.vector(c), rows, rows.length - 1);
                gathered.appendGathered(c, slice.vector(c), new int[0], 0);
            }
            for (int i = 0; i < rows.length - 1; i++) {
                for (int c = 0; c < 5; c++) {
                    if (rows[i] < 0) {
                        reference.setNull(c);
                    } else {
                        reference.appendValue(c, slice.vector(c), rows[i]);
                    }
                }
                reference.finishRow(i + 1);
            }
            assertEquals(rows.length, gathered.rowCount());
            try (Batch got = gathered.build(); Batch want = reference.build()) {
                assertEquals(want.rowCount(), got.rowCount());
                for (int row = 0; row < want.rowCount(); row++) {
                    for (int c = 0; c < 5; c++) {
                        assertEquals(cell(want, c, row), cell(got, c, row), "column " + c + " row " + row);
                    }
                }
                assertEquals(want.int64Vector(2).sum(), got.int64Vector(2).sum(), "values under nulls stay zero");
            }
        }
    }

    @Test
    void appendGatheredRejectsRowsPastTheSourceAndNullsIntoNotNull() {
        try (Batch source = Batches.sample(allocator, 20, true);
            BatchBuilder builder = new BatchBuilder(allocator, Batches.schema(false), 1)) {
            final IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
                () -> builder.appendGathered(2, source.vector(2), new int[] {1, 20}, 2));
            assertTrue(past.getMessage().contains("gathered row=20 (index 1) out of source range [0, 20)"), past.getMessage());
            assertThrows(IllegalArgumentException.class, () -> builder.appendGathered(2, source.vector(2), new int[] {-1}, 1));
            assertThrows(IllegalArgumentException.class, () -> builder.appendGathered(2, source.vector(2), new int[] {7}, 1));
            assertEquals(0, builder.rowCount());
        }
    }

    private static String cell(final Batch batch, final int column, final int row) {
        final ColumnVector v = batch.vector(column);
        if (v.isNull(row)) {
            return "null";
        }
        switch (v.type()) {
            case BOOLEAN:
                return String.valueOf(batch.booleanVector(column).get(row));
            case INT32:
                return String.valueOf(batch.int32Vector(column).get(row));
            case INT64:
                return String.valueOf(batch.int64Vector(column).get(row));
            case FLOAT64:
                return String.valueOf(batch.float64Vector(column).get(row));
            default:
                return batch.utf8Vector(column).getString(row);
        }
    }

    @Test
    void appendRowsRejectsBadRangesAndNullsIntoNotNullLeavingTheBuilderUsable() {
        try (Batch source = Batches.sample(allocator, 20, true);
            BatchBuilder builder = new BatchBuilder(allocator, Batches.schema(false), 1)) {
            final IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class, () -> builder.appendRows(source, 15, 6));
            assertTrue(range.getMessage().contains("from=15 count=6"), range.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> builder.appendRows(source, -1, 2));
            // Row 7 is null in every column; the first column rejects the run before anything is written.
            final IllegalArgumentException notNull = assertThrows(IllegalArgumentException.class, () -> builder.appendRows(source, 1, 8));
            assertTrue(notNull.getMessage().contains("column 'bool' is not nullable: null at source row 7"), notNull.getMessage());
            assertEquals(0, builder.rowCount());
            builder.appendRows(source, 1, 6).appendRows(source, 8, 6);
            try (Batch copy = builder.build()) {
                assertEquals(12, copy.rowCount());
                assertEquals(Batches.utf8(1), copy.utf8Vector(4).getString(0));
                assertEquals(Batches.utf8(8), copy.utf8Vector(4).getString(6));
                assertEquals(Batches.utf8(13), copy.utf8Vector(4).getString(11));
                assertEquals(Batches.int64(13), copy.int64Vector(2).get(11));
            }
        }
    }

    @Test
    void incompleteRowAndMismatchedColumnsAreRejected() {
        final Schema schema = Schema.of(Field.notNull("a", ColumnType.INT64), Field.nullable("b", ColumnType.UTF8));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            builder.setInt64(0, 1);
            final IllegalStateException incomplete = assertThrows(IllegalStateException.class, builder::endRow);
            assertTrue(incomplete.getMessage().contains("column 'b'"), incomplete.getMessage());
            assertThrows(IllegalStateException.class, () -> builder.setInt64(0, 2));
            final IllegalArgumentException notNull = assertThrows(IllegalArgumentException.class, () -> builder.appendInt64Column(1,
                new long[] {1}));
            assertTrue(notNull.getMessage().contains("column 'b' has type=UTF8"), notNull.getMessage());
            assertThrows(IllegalStateException.class, builder::build);
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> builder.setNull(0));
            assertTrue(ex.getMessage().contains("column 'a' is not nullable"), ex.getMessage());
        }
    }

    @Test
    void builtBuilderCannotBeReused() {
        final Schema schema = Schema.of(Field.notNull("a", ColumnType.INT32));
        final BatchBuilder builder = new BatchBuilder(allocator, schema);
        final Batch batch = builder.setInt32(0, 1).endRow().build();
        assertThrows(IllegalStateException.class, () -> builder.setInt32(0, 2));
        assertThrows(IllegalStateException.class, builder::build);
        builder.close();
        assertEquals(1, batch.int32Vector(0).get(0));
        batch.close();
    }

    @Test
    void growthIsGeometricSoMillionRowsCopyLinearBytes() {
        // Counting allocations: doubling means about log2(8 MB / 64) = 17 buffers for the data column, not 1M.
        final Schema schema = Schema.of(Field.notNull("v", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 1)) {
            long peakBuffers = 0;
            for (int row = 0; row < 1_000_000; row++) {
                builder.setInt64(0, row).endRow();
                peakBuffers = Math.max(peakBuffers, allocator.buffersOutstanding());
            }
            assertEquals(1, peakBuffers, "old buffers are released when the column grows");
            assertEquals(8L << 20, allocator.bytesOutstanding(), "one 8 MiB buffer holds 1M longs");
            try (Batch batch = builder.build()) {
                assertEquals(499_999_500_000L, batch.int64Vector(0).sum());
            }
        }
    }

    @Test
    void concatCopiesEveryPartInOrderAndRejectsAForeignSchema() {
        try (Batch source = Batches.sample(allocator, 60, true); Batch a = source.slice(5, 20); Batch empty = source.slice(20, 20);
             Batch b = source.slice(20, 45)) {
            try (Batch all = BatchBuilder.concat(allocator, source.schema(), List.of(a, empty, b))) {
                Batches.assertSample(all, 5, 40, true);
            }
            try (Batch other = Batches.sample(allocator, 3, false)) {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> BatchBuilder.concat(allocator, source.schema(), List.of(a, other)));
                assertTrue(ex.getMessage().contains("part index=1"), ex.getMessage());
            }
        }
    }

    @Test
    void concatSharesColumnsWhosePartsAreConsecutiveWindowsAndCopiesTheRest() {
        final Batch all;
        final Batch reversed;
        try (Batch source = Batches.sample(allocator, 60, true); Batch a = source.slice(5, 20); Batch b = source.slice(20, 45);
             Batch ownA = Batches.sample(allocator, 15, true); Batch ownB = Batches.sample(allocator, 25, true)) {
            // each part: column 0 its own buffers (as a computed column), the others slices of one source, shared
            final int[] columns = {0, 1, 2, 3, 4};
            final Batch partA = Batch.share(source.schema(), new Batch[] {ownA, a, a, a, a}, columns);
            final Batch partB = Batch.share(source.schema(), new Batch[] {ownB, b, b, b, b}, columns);
            try (partA; partB) {
                final long before = allocator.bytesOutstanding();
                all = BatchBuilder.concat(allocator, source.schema(), List.of(partA, partB));
                final long sharing = allocator.bytesOutstanding() - before;
                reversed = BatchBuilder.concat(allocator, source.schema(), List.of(b, a));
                final long copying = allocator.bytesOutstanding() - before - sharing;
                assertTrue(sharing > 0 && sharing < copying, "only column 0 is copied: " + sharing + " bytes, all: " + copying);
            }
        }
        // the sources are released: the concatenations hold what they share
        try (all; reversed; Batch reversedHead = reversed.slice(0, 25); Batch reversedTail = reversed.slice(25, 40)) {
            assertEquals(40, all.rowCount());
            for (int row = 0; row < 40; row++) {
                final int own = row < 15 ? row : row - 15;
                assertEquals(Batches.isNull(own, true) ? null : own % 3 == 1, all.vector(0).getObject(row), "column 0 row " + row);
                final int shared = 5 + row;
                final boolean isNull = Batches.isNull(shared, true);
                assertEquals(isNull ? null : shared * 31 - 7, all.vector(1).getObject(row), "row " + row);
                assertEquals(isNull ? null : Batches.int64(shared), all.vector(2).getObject(row), "row " + row);
                assertEquals(isNull ? null : shared / 4.0, all.vector(3).getObject(row), "row " + row);
                assertEquals(isNull ? null : Batches.utf8(shared), all.vector(4).getObject(row), "row " + row);
            }
            Batches.assertSample(reversedHead, 20, 25, true);
            Batches.assertSample(reversedTail, 5, 15, true);
        }
    }

    @Test
    void appendUnwrittenHandsOutTheValuesToWriteAndLeavesTheRestOfAReusedBufferZero() {
        final Schema schema = Schema.of(Field.notNull("k", ColumnType.INT64), Field.nullable("v", ColumnType.INT64),
            Field.notNull("s", ColumnType.UTF8));
        // Dirty the pool: a released 128 KiB buffer full of ones is what the next 80000-byte column gets back.
        allocator.allocate(80_000).release();
        final OffHeapBuffer dirty = allocator.allocate(80_000);
        dirty.unsafeView().setMemory(0, dirty.capacity(), (byte) -1);
        dirty.release();
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 0)) {
            final MutableDirectBuffer keys = builder.appendUnwritten(0, 10_000);
            assertEquals(80_000, keys.capacity(), "a view of exactly the values asked for");
            for (int r = 0; r < 10_000; r++) {
                keys.putLong(r << 3, 3L * r);
            }
            final MutableDirectBuffer values = builder.appendUnwritten(1, 10_000);
            for (int r = 0; r < 10_000; r++) {
                values.putLong(r << 3, -r);
            }
            assertEquals(0, builder.rowCount(), "the UTF8 column has no rows yet");
            assertThrows(IllegalArgumentException.class, () -> builder.appendUnwritten(2, 1), "UTF8 is not fixed-width");
            final String[] strings = new String[10_000];
            Arrays.setAll(strings, r -> "r" + r);
            builder.appendUtf8Column(2, strings);
            try (Batch batch = builder.build()) {
                assertEquals(10_000, batch.rowCount());
                assertEquals(3L * 9_999, batch.int64Vector(0).get(9_999));
                assertEquals(0, batch.int64Vector(1).nullCount(), "values written this way are present");
                assertEquals(-9_999L * 10_000 / 2, batch.int64Vector(1).sum());
                final ByteBuffer data = ColumnBuffers.data(batch, 0);
                for (int at = 80_000; at < data.limit(); at += 8) {
                    assertEquals(0, data.getLong(at), "byte " + at + " past the values reads as zero");
                }
            }
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, Schema.of(Field.notNull("k", ColumnType.INT64)), 4)) {
            builder.setInt64(0, 7).endRow();
            builder.appendUnwritten(0, 3).putLong(16, 9);
            assertEquals(4, builder.rowCount(), "a column that already holds values grows as any append does");
            try (Batch batch = builder.build()) {
                assertEquals(7, batch.int64Vector(0).get(0));
                assertEquals(9, batch.int64Vector(0).get(3));
            }
        }
    }
}
