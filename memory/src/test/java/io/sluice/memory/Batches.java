package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deterministic sample batch with one column of every type, and its checker. */
public final class Batches {
    public static final String[] WORDS = {"", "a", "grüße", "日本語", "emoji \uD83D\uDE00", "plain ascii text of some length"};

    private Batches() {
    }

    public static Schema schema(final boolean nullable) {
        return Schema.of(new Field("bool", ColumnType.BOOLEAN, nullable), new Field("i32", ColumnType.INT32, nullable),
            new Field("i64", ColumnType.INT64, nullable), new Field("f64", ColumnType.FLOAT64, nullable),
            new Field("s", ColumnType.UTF8, nullable));
    }

    public static boolean isNull(final int row, final boolean nulls) {
        return nulls && row % 7 == 0;
    }

    public static long int64(final int row) {
        return row * 1_000_003L - 5_000_000_000L;
    }

    public static String utf8(final int row) {
        return WORDS[row % WORDS.length] + (row % 3 == 0 ? "" : Integer.toString(row));
    }

    /** Rows 0..rows-1 built row by row; with {@code nulls}, every 7th row is null in every column. */
    public static Batch sample(final BufferAllocator allocator, final int rows, final boolean nulls) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema(nulls), 16)) {
            for (int row = 0; row < rows; row++) {
                if (isNull(row, nulls)) {
                    for (int c = 0; c < 5; c++) {
                        builder.setNull(c);
                    }
                } else {
                    builder.setBoolean(0, row % 3 == 1).setInt32(1, row * 31 - 7).setInt64(2, int64(row))
                        .setFloat64(3, row / 4.0).setUtf8(4, utf8(row));
                }
                builder.endRow();
            }
            return builder.build();
        }
    }

    /** Checks that {@code batch} holds sample rows {@code first..first+rows-1}. */
    public static void assertSample(final Batch batch, final int first, final int rows, final boolean nulls) {
        assertEquals(rows, batch.rowCount());
        final BooleanVector bools = batch.booleanVector(0);
        final Int32Vector ints = batch.int32Vector(1);
        final Int64Vector longs = batch.int64Vector(2);
        final Float64Vector doubles = batch.float64Vector(3);
        final Utf8Vector strings = batch.utf8Vector(4);
        for (int i = 0; i < rows; i++) {
            final int row = first + i;
            if (isNull(row, nulls)) {
                for (int c = 0; c < 5; c++) {
                    assertTrue(batch.vector(c).isNull(i), "row " + row + " column " + c);
                }
                assertEquals(0L, longs.get(i));
                assertEquals(0, strings.length(i));
            } else {
                for (int c = 0; c < 5; c++) {
                    assertFalse(batch.vector(c).isNull(i), "row " + row + " column " + c);
                }
                assertEquals(row % 3 == 1, bools.get(i), "bool row " + row);
                assertEquals(row * 31 - 7, ints.get(i), "i32 row " + row);
                assertEquals(int64(row), longs.get(i), "i64 row " + row);
                assertEquals(row / 4.0, doubles.get(i), "f64 row " + row);
                assertEquals(utf8(row), strings.getString(i), "s row " + row);
            }
        }
    }
}
