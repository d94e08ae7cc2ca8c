package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reduceByKey with SUM and COUNT over the keys a columnar copy has to get right: FLOAT64 keys (-0.0 and 0.0 one key,
 * every NaN one key, as groupBy().agg() groups them), BOOLEAN, INT32 and UTF8 keys with nulls in several columns,
 * sums that wrap, keys whose values are all null, empty batches, windows across slides and a window restored from a
 * snapshot.
 */
class KeyedReduceKeysTest {
    private static final Schema FLOATS = Schema.of(Field.nullable("d", ColumnType.FLOAT64), Field.nullable("v", ColumnType.INT32));
    private static final double NAN2 = Double.longBitsToDouble(0x7ff8000000000123L);

    private static List<String> rows(final MemorySink sink, final int batch) {
        return sorted(sink.snapshot().get(batch).rows());
    }

    /** The rows with a -0.0 first column as 0.0: which of a group's rows names it depends on the merge order. */
    private static List<String> unsigned(final MemorySink sink, final int batch) {
        final List<Object[]> rows = new ArrayList<>();
        for (final Object[] r : sink.snapshot().get(batch).rows()) {
            final Object[] copy = r.clone();
            if (copy[0] instanceof Double d) {
                copy[0] = d + 0.0;
            }
            rows.add(copy);
        }
        return sorted(rows);
    }

    @Test
    void float64KeysMinusZeroZeroAndNaN() throws Exception {
        try (StreamHarness h = new StreamHarness(2, 3)) {
            final DStream events = h.input("events", FLOATS);
            final List<String> keys = List.of("d");
            final MemorySink sum = events.reduceByKey(keys, Reducer.sum("v")).collectToMemory();
            final MemorySink count = events.reduceByKey(keys, Reducer.count()).collectToMemory();
            final MemorySink agg = events.reduceByKey(keys, Agg.sum("v"), Agg.count()).collectToMemory();
            final MemorySink window = events.reduceByKeyAndWindow(keys, Reducer.sum("v"), Duration.ofMillis(200),
                Duration.ofMillis(200)).collectToMemory();
            h.start();
            h.batch(StreamHarness.rows(new Object[] {-0.0, 1}, new Object[] {0.0, 2}, new Object[] {Double.NaN, 4},
                new Object[] {NAN2, 8}, new Object[] {null, 16}, new Object[] {null, null}, new Object[] {1.5, null}));
            h.batch(StreamHarness.rows(new Object[] {0.0, 32}));
            // the columnar SUM equals groupBy().agg() (without the key whose values are all null)
            final List<String> fromAgg = new ArrayList<>();
            for (final String r : unsigned(agg, 0)) {
                if (!r.endsWith("|null|1")) {
                    fromAgg.add(r.substring(0, r.lastIndexOf('|')));
                }
            }
            assertEquals(fromAgg, unsigned(sum, 0), "sum vs groupBy().agg()");
            assertEquals(List.of("0.0|3", "NaN|12", "null|16"), unsigned(sum, 0), "1.5 has no value");
            assertEquals(List.of("0.0|2", "1.5|1", "NaN|2", "null|2"), unsigned(count, 0));
            // the window of both batches: -0.0 and 0.0 are one key, as in groupBy
            assertEquals(List.of("0.0|35", "NaN|12", "null|16"), unsigned(window, 0));
        }
    }

    private static final Schema MIXED = Schema.of(Field.nullable("b", ColumnType.BOOLEAN), Field.notNull("i", ColumnType.INT32),
        Field.nullable("s", ColumnType.UTF8), Field.nullable("v", ColumnType.INT32), Field.nullable("w", ColumnType.INT64));

    private static List<Object[]> mixed(final Random random, final int rows) {
        final List<Object[]> out = new ArrayList<>();
        final String[] strings = {"", "x", "ü日", null};
        for (int r = 0; r < rows; r++) {
            final int i = random.nextInt(3) - 1;
            final Boolean b = random.nextInt(4) == 0 ? null : random.nextBoolean();
            // i == 1: never a value
            final Integer v = i == 1 || random.nextInt(5) == 0 ? null : Integer.MAX_VALUE - random.nextInt(3);
            final Long w = i == 1 ? null : random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
            out.add(new Object[] {b, i, strings[random.nextInt(strings.length)], v, w});
        }
        return out;
    }

    /** key -> {sum v, non-null v, sum w, non-null w, rows}. */
    private static Map<List<Object>, long[]> fold(final List<List<Object[]>> batches) {
        final Map<List<Object>, long[]> out = new HashMap<>();
        for (final List<Object[]> rows : batches) {
            for (final Object[] r : rows) {
                final long[] acc = out.computeIfAbsent(Arrays.asList(r[0], r[1], r[2]), k -> new long[5]);
                if (r[3] != null) {
                    acc[0] += (Integer) r[3];
                    acc[1]++;
                }
                if (r[4] != null) {
                    acc[2] += (Long) r[4];
                    acc[3]++;
                }
                acc[4]++;
            }
        }
        return out;
    }

    private static List<String> expected(final Map<List<Object>, long[]> folded, final int which) {
        final List<Object[]> rows = new ArrayList<>();
        folded.forEach((k, acc) -> {
            if (which == 4 || acc[which + 1] > 0) {
                rows.add(new Object[] {k.get(0), k.get(1), k.get(2), acc[which]});
            }
        });
        return sorted(rows);
    }

    @Test
    void severalKeyColumnsOfEveryTypeNullKeysWrappingSumsAndWindows() throws Exception {
        final Random random = new Random(3);
        final List<List<Object[]>> input = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            input.add(b == 2 ? List.of() : mixed(random, 1 + random.nextInt(2_000)));
        }
        try (StreamHarness h = new StreamHarness(2, 4)) {
            final DStream events = h.input("events", MIXED);
            final List<String> keys = List.of("b", "i", "s");
            final MemorySink sumV = events.reduceByKey(keys, Reducer.sum("v")).collectToMemory();
            final MemorySink sumW = events.reduceByKey(keys, Reducer.sum("w")).collectToMemory();
            final MemorySink customW = events.reduceByKey(keys, Reducer.of("w", Long::sum)).collectToMemory();
            final MemorySink count = events.reduceByKey(keys, Reducer.count().as("n")).collectToMemory();
            final MemorySink windowW = events.reduceByKeyAndWindow(keys, Reducer.sum("w"), Duration.ofMillis(300),
                Duration.ofMillis(100)).collectToMemory();
            final MemorySink windowCount = events.reduceByKeyAndWindow(keys, Reducer.count(), Duration.ofMillis(300),
                Duration.ofMillis(100)).collectToMemory();
            h.start();
            for (final List<Object[]> batch : input) {
                h.batch(batch);
            }
            for (int b = 0; b < input.size(); b++) {
                final Map<List<Object>, long[]> folded = fold(List.of(input.get(b)));
                assertEquals(expected(folded, 0), rows(sumV, b), "sum v " + b);
                assertEquals(expected(folded, 2), rows(sumW, b), "sum w " + b);
                assertEquals(rows(customW, b), rows(sumW, b), "custom w " + b);
                assertEquals(expected(folded, 4), rows(count, b), "count " + b);
                final Map<List<Object>, long[]> win = fold(input.subList(Math.max(0, b - 2), b + 1));
                assertEquals(expected(win, 2), rows(windowW, b), "window sum w " + b);
                assertEquals(expected(win, 4), rows(windowCount, b), "window count " + b);
            }
        }
    }

    private static List<MemorySink> windowProgram(final StreamHarness h) {
        final DStream events = h.input("events", MIXED);
        final List<String> keys = List.of("b", "i", "s");
        return List.of(
            events.reduceByKeyAndWindow(keys, Reducer.sum("w"), Duration.ofMillis(400), Duration.ofMillis(200)).collectToMemory(),
            events.reduceByKeyAndWindow(keys, Reducer.count(), Duration.ofMillis(300), Duration.ofMillis(100)).collectToMemory());
    }

    @Test
    void recomputedWindowOfAColumnarReduceRestoresFromASnapshot(@TempDir final Path dir) throws Exception {
        final Random random = new Random(9);
        final List<List<Object[]>> input = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            input.add(b % 4 == 3 ? List.of() : mixed(random, 1 + random.nextInt(500)));
        }
        final long snapshotTime = 5 * StreamHarness.INTERVAL;
        final List<Map<Long, List<String>>> uninterrupted;
        try (StreamHarness h = new StreamHarness()) {
            final List<MemorySink> sinks = windowProgram(h);
            h.start();
            for (final List<Object[]> batch : input) {
                h.batch(batch);
            }
            uninterrupted = WindowCheckpointTest.outputs(sinks);
        }
        try (StreamHarness h = new StreamHarness()) {
            windowProgram(h);
            h.start();
            for (int b = 0; b < 5; b++) {
                h.batch(input.get(b));
            }
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.snapshot(snapshotTime, Files.createDirectories(dir.resolve(op.checkpointName())));
            }
        }
        final List<Map<Long, List<String>>> resumed;
        try (StreamHarness h = new StreamHarness(2, 3, null, snapshotTime)) {
            final List<MemorySink> sinks = windowProgram(h);
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.restore(snapshotTime, dir.resolve(op.checkpointName()));
            }
            h.start();
            for (int b = 5; b < 10; b++) {
                h.batch(input.get(b));
            }
            resumed = WindowCheckpointTest.outputs(sinks);
        }
        for (int s = 0; s < uninterrupted.size(); s++) {
            final Map<Long, List<String>> expected = new TreeMap<>(uninterrupted.get(s));
            expected.keySet().removeIf(t -> t <= snapshotTime);
            assertEquals(expected, resumed.get(s), "sink " + s);
        }
    }
}
