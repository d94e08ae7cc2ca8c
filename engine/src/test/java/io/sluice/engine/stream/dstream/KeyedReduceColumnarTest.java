package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sluice.engine.stream.StreamHarness;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;

/**
 * SUM and COUNT reducers by key go from the aggregate to the output batch without boxed rows; their output must
 * equal a plain-Java fold: nulls skipped, a key with no non-null value absent from SUM, null keys a group of their
 * own, INT32 values widened, non-ASCII keys, empty batches, and windows of several batches.
 */
class KeyedReduceColumnarTest {
    private static final Schema IN = Schema.of(Field.nullable("k", ColumnType.UTF8), Field.notNull("g", ColumnType.INT64),
        Field.nullable("v", ColumnType.INT32));
    private static final String[] KEYS = {"ä", "b", "日本", "d", null};

    private static List<Object[]> batch(final Random random, final int rows) {
        final List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            final String key = KEYS[random.nextInt(KEYS.length)];
            // key "d" never has a value: SUM has no row for it, COUNT does
            final boolean none = "d".equals(key) || random.nextInt(8) == 0;
            out.add(new Object[] {key, (long) random.nextInt(3), none ? null : random.nextInt(2_000_001) - 1_000_000});
        }
        return out;
    }

    /** (k, g) -> {sum of non-null v, non-null count, rows}. */
    private static Map<List<Object>, long[]> fold(final List<List<Object[]>> batches) {
        final Map<List<Object>, long[]> out = new HashMap<>();
        for (final List<Object[]> rows : batches) {
            for (final Object[] r : rows) {
                final long[] acc = out.computeIfAbsent(Arrays.asList(r[0], r[1]), key -> new long[3]);
                if (r[2] != null) {
                    acc[0] += (Integer) r[2];
                    acc[1]++;
                }
                acc[2]++;
            }
        }
        return out;
    }

    private static List<String> expected(final Map<List<Object>, long[]> folded, final boolean sum) {
        final List<Object[]> rows = new ArrayList<>();
        folded.forEach((key, acc) -> {
            if (!sum || acc[1] > 0) {
                rows.add(new Object[] {key.get(0), key.get(1), sum ? acc[0] : acc[2]});
            }
        });
        return sorted(rows);
    }

    @Test
    void sumAndCountByKeyEqualAPlainJavaFoldPerBatchAndPerWindow() throws Exception {
        final Random random = new Random(11);
        final List<List<Object[]>> inputs = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            inputs.add(b == 3 ? List.of() : batch(random, 1 + random.nextInt(3_000)));
        }
        try (StreamHarness h = new StreamHarness(2, 3)) {
            final DStream events = h.input("events", IN);
            final List<String> keys = List.of("k", "g");
            final DStream summed = events.reduceByKey(keys, Reducer.sum("v"));
            final MemorySink sums = summed.collectToMemory();
            final MemorySink counts = events.reduceByKey(keys, Reducer.count().as("n")).collectToMemory();
            final MemorySink windowSums = events.reduceByKeyAndWindow(keys, Reducer.sum("v"), Duration.ofMillis(200),
                Duration.ofMillis(200)).collectToMemory();
            assertEquals(Schema.of(IN.field("k"), IN.field("g"), Field.notNull("sum_v", ColumnType.INT64)), summed.schema());
            h.start();
            for (final List<Object[]> rows : inputs) {
                h.batch(rows);
            }
            for (int b = 0; b < inputs.size(); b++) {
                final Map<List<Object>, long[]> folded = fold(List.of(inputs.get(b)));
                assertEquals(expected(folded, true), sorted(sums.snapshot().get(b).rows()), "sum, batch " + b);
                assertEquals(expected(folded, false), sorted(counts.snapshot().get(b).rows()), "count, batch " + b);
            }
            for (int w = 0; w < inputs.size() / 2; w++) {
                final Map<List<Object>, long[]> folded = fold(inputs.subList(2 * w, 2 * w + 2));
                assertEquals(expected(folded, true), sorted(windowSums.snapshot().get(w).rows()), "window sum " + w);
            }
        }
    }

    @Test
    void keyColumnsNamedLikeTheReducesOwnColumnsAreRejectedWhenTheStreamIsBuilt() throws Exception {
        final Schema clash = Schema.of(Field.notNull("__reduce_value", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", clash);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> events.reduceByKey(List.of("__reduce_value"), Reducer.count()));
            assertTrue(e.getMessage().contains("__reduce_value"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> events.reduceByKeyAndWindow(List.of("__reduce_value"),
                Reducer.sum("v"), (a, b) -> a - b, Duration.ofMillis(200), Duration.ofMillis(100)));
        }
    }

    @Test
    void theIncrementalWindowTakesMinusZeroAndZeroAsOneKeyAsGroupByDoes() throws Exception {
        final Schema doubles = Schema.of(Field.notNull("k", ColumnType.FLOAT64), Field.notNull("v", ColumnType.INT64));
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", doubles);
            final MemorySink incremental = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b,
                Duration.ofMillis(200), Duration.ofMillis(200)).collectToMemory();
            final MemorySink recomputed = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"),
                Duration.ofMillis(200), Duration.ofMillis(200)).collectToMemory();
            final MemorySink custom = events.reduceByKey(List.of("k"), Reducer.of("v", Long::sum)).collectToMemory();
            h.start();
            h.batch(StreamHarness.rows(new Object[] {-0.0, 1L}, new Object[] {0.0, 2L}));
            h.batch(StreamHarness.rows(new Object[] {0.0, 32L}));
            for (final MemorySink window : List.of(incremental, recomputed)) {
                final List<Object[]> rows = window.snapshot().get(0).rows();
                assertEquals(1, rows.size(), "one key for -0.0 and 0.0");
                assertEquals(0.0, Math.abs((Double) rows.get(0)[0]));
                assertEquals(35L, rows.get(0)[1]);
            }
            assertEquals(1, custom.snapshot().get(0).rows().size(), "a custom reducer folds -0.0 and 0.0 together");
            assertEquals(3L, custom.snapshot().get(0).rows().get(0)[1]);
        }
    }
}
