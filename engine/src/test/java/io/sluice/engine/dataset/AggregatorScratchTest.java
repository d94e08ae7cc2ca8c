package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;

/**
 * Aggregations run one after another on one thread, so each reuses the arrays the previous one left: large then
 * small, another key type, a global one in between, more aggregates than before. Each result must equal a plain-Java
 * reference, which a stale count, slot or key left from the previous aggregation would break.
 */
class AggregatorScratchTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @BeforeEach
    void dropThisThreadsScratch() {
        AggregatorScratch.take();
    }

    @AfterEach
    void tearDown() {
        AggregatorScratch.take();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    /** Rows of {@link DatasetTestSupport#SCHEMA} with {@code keys} distinct non-null k values and some nulls. */
    private static List<Object[]> rows(final long seed, final int count, final int keys) {
        final Random random = new Random(seed);
        final List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {
                random.nextInt(20) == 0 ? null : (long) random.nextInt(keys) << 20,
                random.nextInt(10) == 0 ? null : "n" + random.nextInt(Math.max(1, keys / 3)),
                random.nextInt(10) == 0 ? null : random.nextInt(2001) - 1000,
                random.nextInt(10) == 0 ? null : (double) (random.nextInt(4001) - 2000) / 8.0,
                null,
            });
        }
        return rows;
    }

    /** {@code key column, COUNT(*), SUM(v), MIN(v), MAX(v)} per group (or without the key when column < 0). */
    private static List<Object[]> reference(final List<Object[]> rows, final int column) {
        final Map<Object, long[]> groups = new LinkedHashMap<>();
        if (column < 0) {
            groups.put("all", new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
        }
        for (final Object[] row : rows) {
            final long[] g = groups.computeIfAbsent(column < 0 ? "all" : row[column] == null ? "null" : row[column],
                k -> new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            g[0]++;
            if (row[2] != null) {
                final int v = (Integer) row[2];
                g[1]++;
                g[2] += v;
                g[3] = Math.min(g[3], v);
                g[4] = Math.max(g[4], v);
            }
        }
        final List<Object[]> out = new ArrayList<>();
        groups.forEach((key, g) -> {
            final List<Object> row = new ArrayList<>();
            if (column >= 0) {
                row.add(key.equals("null") ? null : key);
            }
            row.add(g[0]);
            row.add(g[1] == 0 ? null : g[2]);
            row.add(g[1] == 0 ? null : (int) g[3]);
            row.add(g[1] == 0 ? null : (int) g[4]);
            out.add(row.toArray());
        });
        return out;
    }

    private List<Object[]> aggregate(final List<Object[]> rows, final List<String> keys) {
        final AggPlan plan = new AggPlan(SCHEMA, keys, List.of(Agg.count(), Agg.sum("v"), Agg.min("v"), Agg.max("v")));
        try (HashAggregator agg = new HashAggregator(plan, false, allocator)) {
            return run(agg, rows, plan);
        }
    }

    private List<Object[]> run(final HashAggregator agg, final List<Object[]> rows, final AggPlan plan) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, Math.max(1, rows.size()))) {
            for (int r = 0; r < rows.size(); r++) {
                Rows.append(builder, rows.get(r), r);
            }
            try (Batch input = builder.build()) {
                agg.add(input);
            }
        }
        final List<Object[]> out = new ArrayList<>();
        try (Batch result = agg.finish(false, allocator)) {
            assertEquals(plan.finalSchema(), result.schema());
            for (int r = 0; r < result.rowCount(); r++) {
                out.add(Rows.row(result, r));
            }
        }
        return out;
    }

    @Test
    void eachAggregationOnAThreadMatchesTheReferenceWhateverTheOneBeforeLeft() {
        final List<Object[]> large = rows(1, 20_000, 3_000);
        assertEquals(canonical(reference(large, 0)), canonical(aggregate(large, List.of("k"))));
        // Fewer keys in the large index and arrays: stale groups or counts would show up here.
        for (int round = 0; round < 5; round++) {
            final List<Object[]> small = rows(10 + round, 200, 7);
            assertEquals(canonical(reference(small, 0)), canonical(aggregate(small, List.of("k"))), "round " + round);
            // A UTF8 key, then a global aggregate, then the INT64 key again.
            final List<Object[]> named = rows(20 + round, 300, 40);
            assertEquals(canonical(reference(named, 1)), canonical(aggregate(named, List.of("name"))), "round " + round);
            assertEquals(canonical(reference(small, -1)), canonical(aggregate(small, List.of())), "round " + round);
        }
        final List<Object[]> again = rows(2, 20_000, 3_000);
        assertEquals(canonical(reference(again, 0)), canonical(aggregate(again, List.of("k"))));
    }

    @Test
    void aSecondAggregatorOpenOnTheThreadGetsItsOwnArrays() {
        final List<Object[]> first = rows(3, 2_000, 300);
        final List<Object[]> second = rows(4, 2_000, 500);
        aggregate(first, List.of("k"));
        final AggPlan plan = new AggPlan(SCHEMA, List.of("k"), List.of(Agg.count(), Agg.sum("v"), Agg.min("v"), Agg.max("v")));
        try (HashAggregator outer = new HashAggregator(plan, false, allocator)) {
            // The inner one runs while the outer holds the thread's scratch.
            assertEquals(canonical(reference(second, 0)), canonical(aggregate(second, List.of("k"))));
            assertEquals(canonical(reference(first, 0)), canonical(run(outer, first, plan)));
        }
    }

    @Test
    void aThreadKeepsTheArraysOfSmallAggregationsOnly() {
        aggregate(rows(5, 1_000, 100), List.of("k"));
        final AggregatorScratch kept = AggregatorScratch.take();
        assertNotNull(kept, "a small aggregation's arrays are kept for the thread's next one");
        assertNotNull(kept.index);
        assertNull(AggregatorScratch.take(), "taking the scratch leaves none for a second taker");
        final int tooMany = AggregatorScratch.MAX_KEPT_GROUPS + 1;
        final List<Object[]> large = new ArrayList<>(tooMany);
        for (int i = 0; i < tooMany; i++) {
            large.add(new Object[] {(long) i, null, i, null, null});
        }
        assertEquals(tooMany, aggregate(large, List.of("k")).size());
        assertNull(AggregatorScratch.take(), "arrays past MAX_KEPT_GROUPS groups are not held between batches");
    }
}
