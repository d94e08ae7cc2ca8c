package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Utf8Vector.indexOf / startsWith, read in place, against a naive byte search. */
class Utf8VectorMatchTest {
    private static final Schema SCHEMA = Schema.of(Field.nullable("s", ColumnType.UTF8));

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    private Batch batchOf(final String... values) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 4)) {
            builder.appendUtf8Column(0, values);
            return builder.build();
        }
    }

    /** First byte index of {@code needle} in {@code hay}, or -1; the obvious quadratic search. */
    private static int naiveIndexOf(final byte[] hay, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsNeedleAtStartEndAndAcrossTheEightByteBlocks() {
        final String value = "0123456789abcdefghijklmnopqrstuvwxyz";
        try (Batch batch = batchOf(value)) {
            final Utf8Vector v = batch.utf8Vector(0);
            for (int from = 0; from < value.length(); from++) {
                for (int to = from; to <= value.length(); to++) {
                    final String needle = value.substring(from, to);
                    assertEquals(to == from ? 0 : from, v.indexOf(0, utf8(needle)), () -> "needle='" + needle + "'");
                    assertEquals(from == 0 || to == from, v.startsWith(0, utf8(needle)), () -> "prefix='" + needle + "'");
                }
            }
            assertEquals(-1, v.indexOf(0, utf8(value + "!")), "needle longer than the value");
            assertFalse(v.startsWith(0, utf8(value + "!")), "prefix longer than the value");
            assertEquals(-1, v.indexOf(0, utf8("z0")));
        }
    }

    @Test
    void emptyValueNullAndEmptyNeedle() {
        try (Batch batch = batchOf("", null, "a")) {
            final Utf8Vector v = batch.utf8Vector(0);
            assertEquals(0, v.indexOf(0, new byte[0]));
            assertTrue(v.startsWith(0, new byte[0]));
            assertEquals(-1, v.indexOf(0, utf8("a")));
            assertFalse(v.startsWith(0, utf8("a")));
            // A null row reads as zero bytes.
            assertEquals(-1, v.indexOf(1, utf8("a")));
            assertEquals(0, v.indexOf(2, utf8("a")));
        }
    }

    @Test
    void doesNotMatchAcrossNeighbouringValues() {
        // The needle spans the end of row 0 and the start of row 1 in the shared data buffer.
        try (Batch batch = batchOf("xxxxxxxxxxxxxxxxab", "cdxxxxxxxxxxxxxxxxx")) {
            final Utf8Vector v = batch.utf8Vector(0);
            assertEquals(-1, v.indexOf(0, utf8("abcd")));
            assertEquals(-1, v.indexOf(1, utf8("abcd")));
            assertEquals(16, v.indexOf(0, utf8("ab")));
            assertTrue(v.startsWith(1, utf8("cd")));
        }
    }

    @Test
    void randomValuesAndNeedlesOnASliceMatchNaiveSearch() {
        // Few distinct bytes (including multi-byte letters and the bytes 0x00/0x01 that trip the zero-byte trick)
        // make partial matches and false candidates common.
        final String[] letters = {"a", "b", " ", "é", "語", "\u0000", "\u0001", "\uD83D\uDE00"};
        final Random random = new Random(11);
        final String[] values = new String[500];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 17 == 0 ? null : randomString(random, letters, random.nextInt(40));
        }
        try (Batch batch = batchOf(values); Batch slice = batch.slice(3, 480)) {
            final Utf8Vector v = slice.utf8Vector(0);
            for (int trial = 0; trial < 200; trial++) {
                final byte[] needle = utf8(randomString(random, letters, 1 + random.nextInt(5)));
                for (int row = 0; row < v.rowCount(); row++) {
                    final String value = values[row + 3];
                    final byte[] hay = value == null ? new byte[0] : utf8(value);
                    final int want = naiveIndexOf(hay, needle);
                    assertEquals(want, v.indexOf(row, needle), "row " + row);
                    assertEquals(want == 0, v.startsWith(row, needle), "row " + row);
                }
                // The whole-column scan selects exactly the rows the per-row search finds.
                final int[] rows = new int[v.rowCount()];
                final int found = v.rowsContaining(needle, rows);
                int expected = 0;
                for (int row = 0; row < v.rowCount(); row++) {
                    if (v.indexOf(row, needle) >= 0) {
                        assertEquals(row, rows[expected++], "needle " + new String(needle, StandardCharsets.UTF_8));
                    }
                }
                assertEquals(expected, found);
            }
        }
    }

    @Test
    void rowsContainingSkipsMatchesAcrossValuesAndHandlesEdges() {
        try (Batch batch = batchOf("xxxxxxxxxxxxxxxxab", "cdxxxxxxxxxxxxxxxxx", null, "", "abcd", "zzabcd")) {
            final Utf8Vector v = batch.utf8Vector(0);
            final int[] rows = new int[v.rowCount()];
            assertEquals(2, v.rowsContaining(utf8("abcd"), rows));
            assertEquals(4, rows[0]);
            assertEquals(5, rows[1]);
            assertEquals(6, v.rowsContaining(new byte[0], rows), "the empty needle is in every value");
            assertThrows(IndexOutOfBoundsException.class, () -> v.rowsContaining(utf8("a"), new int[2]));
            try (Batch empty = batch.slice(2, 2)) {
                assertEquals(0, empty.utf8Vector(0).rowsContaining(utf8("a"), new int[0]));
            }
        }
    }

    private static String randomString(final Random random, final String[] letters, final int length) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(letters[random.nextInt(letters.length)]);
        }
        return sb.toString();
    }

    @Test
    void rowOutOfRangeAndReleasedBatchThrow() {
        final Batch batch = batchOf("abc", "def");
        final Utf8Vector v = batch.utf8Vector(0);
        final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> v.indexOf(2, utf8("a")));
        assertTrue(ex.getMessage().contains("column 's' row 2 out of range [0, 2)"), ex.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> v.startsWith(-1, utf8("a")));
        batch.release();
        assertThrows(IllegalStateException.class, () -> v.indexOf(0, utf8("a")));
        assertThrows(IllegalStateException.class, () -> v.startsWith(0, utf8("a")));
    }
}
