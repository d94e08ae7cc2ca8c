package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.coalesce;
import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * contains / startsWith on a plain column reference (matched in place on the off-heap bytes) against Java's
 * String.contains / startsWith, and against the same expression forced through the heap path with coalesce(col).
 */
class StringMatchInPlaceTest {
    private static final Schema NULLABLE = Schema.of(Field.nullable("id", ColumnType.INT32), Field.nullable("s", ColumnType.UTF8));
    private static final Schema NOT_NULL = Schema.of(Field.notNull("id", ColumnType.INT32), Field.notNull("s", ColumnType.UTF8));

    /** Values that put a match at the start, the end, nowhere, overlapping a partial match, or next to multi-byte UTF-8. */
    private static final String[] VALUES = {
        "", "s", "sa", " said ", " said", "said ", "x said y", "he said", " said she said ", "sai sai said ",
        "  said  ", "saisaid ", "é said é", "日本 said 語", "said日本", "\uD83D\uDE00 said \uD83D\uDE00", "aaab", "aab",
        "ab", "é", "ée", "café", "naïve said", "SAID", " Said ",
    };

    private static final String[] PATTERNS = {
        " said ", "said", "s", "", "aab", "é", "日本", "\uD83D\uDE00 ", " said she said  and more than any value",
        "d ", "\u00a9",
    };

    private BufferAllocator allocator;
    private ExecutionContext ctx;

    @BeforeEach
    void setUp() {
        allocator = new BufferAllocator();
        ctx = ExecutionContext.create(DatasetTestSupport.config(SchedulingPolicy.WORK_STEALING, FaultInjection.none()),
            allocator, 2);
    }

    @AfterEach
    void tearDown() {
        ctx.close();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private static List<Object[]> rows(final boolean withNulls) {
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < VALUES.length; i++) {
            rows.add(new Object[] {i, VALUES[i]});
            if (withNulls && i % 3 == 0) {
                rows.add(new Object[] {1000 + i, null});
            }
        }
        return rows;
    }

    private static Boolean javaMatch(final String value, final String pattern, final boolean contains) {
        if (value == null) {
            return null;
        }
        return contains ? value.contains(pattern) : value.startsWith(pattern);
    }

    private void assertMatchesJava(final Schema schema, final List<Object[]> rows, final int partitions) {
        final Dataset ds = ctx.fromRows(schema, rows, partitions);
        for (final String pattern : PATTERNS) {
            final List<Object[]> got = ds.select(col("id"), col("s").contains(pattern).as("c"), col("s").startsWith(pattern).as("sw"),
                coalesce(col("s")).contains(pattern).as("heapC"), coalesce(col("s")).startsWith(pattern).as("heapSw")).collect();
            final List<Object[]> want = new ArrayList<>();
            for (final Object[] row : rows) {
                final String s = (String) row[1];
                final Boolean c = javaMatch(s, pattern, true);
                final Boolean sw = javaMatch(s, pattern, false);
                want.add(new Object[] {row[0], c, sw, c, sw});
            }
            assertEquals(DatasetTestSupport.canonical(want), DatasetTestSupport.canonical(got), () -> "pattern='" + pattern + "'");
        }
    }

    @Test
    void containsAndStartsWithMatchJavaAtEdgesWithNulls() {
        assertMatchesJava(NULLABLE, rows(true), 3);
    }

    @Test
    void containsAndStartsWithMatchJavaOnNonNullableColumn() {
        assertMatchesJava(NOT_NULL, rows(false), 1);
    }

    @Test
    void filterDropsNullAndFalseRowsAndKeepsRunsInOrder() {
        final List<Object[]> rows = rows(true);
        final Dataset ds = ctx.fromRows(NULLABLE, rows, 4);
        for (final String pattern : PATTERNS) {
            final List<Object[]> got = ds.filter(col("s").contains(pattern)).collect();
            final List<Object[]> notGot = ds.filter(col("s").contains(pattern).not()).collect();
            final List<Object[]> want = new ArrayList<>();
            final List<Object[]> notWant = new ArrayList<>();
            for (final Object[] row : rows) {
                final Boolean c = javaMatch((String) row[1], pattern, true);
                if (Boolean.TRUE.equals(c)) {
                    want.add(row);
                } else if (Boolean.FALSE.equals(c)) {
                    notWant.add(row);
                }
            }
            assertEquals(DatasetTestSupport.canonical(want), DatasetTestSupport.canonical(got), () -> "pattern='" + pattern + "'");
            assertEquals(DatasetTestSupport.canonical(notWant), DatasetTestSupport.canonical(notGot),
                () -> "not pattern='" + pattern + "'");
            assertEquals(want.size(), ds.filter(col("s").contains(pattern)).count(), () -> "count pattern='" + pattern + "'");
        }
    }

    @Test
    void randomValuesOverSmallAlphabetMatchJava() {
        // A small alphabet with multi-byte letters makes partial matches, restarts and matches at the edges frequent.
        final String[] letters = {"a", "b", " ", "é", "語", "\uD83D\uDE00"};
        final Random random = new Random(7);
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(new Object[] {i, random.nextInt(12) == 0 ? null : randomString(random, letters, random.nextInt(12))});
        }
        final Dataset ds = ctx.fromRows(NULLABLE, rows, 5);
        for (int p = 0; p < 12; p++) {
            final String pattern = randomString(random, letters, 1 + random.nextInt(4));
            final List<Object[]> kept = ds.filter(col("s").contains(pattern)).collect();
            final List<Object[]> prefixed = ds.filter(col("s").startsWith(pattern)).collect();
            final List<Object[]> wantKept = new ArrayList<>();
            final List<Object[]> wantPrefixed = new ArrayList<>();
            for (final Object[] row : rows) {
                if (Boolean.TRUE.equals(javaMatch((String) row[1], pattern, true))) {
                    wantKept.add(row);
                }
                if (Boolean.TRUE.equals(javaMatch((String) row[1], pattern, false))) {
                    wantPrefixed.add(row);
                }
            }
            assertEquals(DatasetTestSupport.canonical(wantKept), DatasetTestSupport.canonical(kept),
                () -> "contains pattern='" + pattern + "'");
            assertEquals(DatasetTestSupport.canonical(wantPrefixed), DatasetTestSupport.canonical(prefixed),
                () -> "startsWith pattern='" + pattern + "'");
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
    void filterOfEveryRowAndOfNoRowKeepsRowsIntact() {
        final List<Object[]> rows = rows(false);
        final Dataset ds = ctx.fromRows(NOT_NULL, rows, 2);
        assertEquals(DatasetTestSupport.canonical(rows), DatasetTestSupport.canonical(ds.filter(col("s").contains("")).collect()));
        assertEquals(List.of(), ds.filter(col("s").contains("no such text")).collect());
        assertEquals(rows.size(), ds.filter(col("s").startsWith("")).count());
    }
}
