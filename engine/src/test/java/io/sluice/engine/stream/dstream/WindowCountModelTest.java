package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.dstream.WindowTest.perBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.sluice.engine.stream.StreamHarness;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** count, countByWindow, countByValueAndWindow and reduceByWindow against a plain-Java model over random input. */
class WindowCountModelTest {
    private static final Schema INTS = Schema.of(Field.nullable("x", ColumnType.INT64));
    private static final int BATCHES = 14;

    /** The rows of the batches whose time is in {@code (t - length, t]}; batch i runs at {@code (i + 1) x interval}. */
    private static List<Long> window(final List<List<Long>> input, final long t, final long length) {
        final List<Long> out = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            final long time = (i + 1) * StreamHarness.INTERVAL;
            if (time > t - length && time <= t) {
                out.addAll(input.get(i));
            }
        }
        return out;
    }

    @Test
    void windowCountsAndReducesMatchAPlainJavaModel() throws Exception {
        for (final long seed : new long[] {11, 12, 13, 14, 15, 16}) {
            final Random random = new Random(seed);
            final long length = StreamHarness.INTERVAL * (1 + random.nextInt(5));
            final long slide = StreamHarness.INTERVAL * (1 + random.nextInt((int) (length / StreamHarness.INTERVAL)));
            final List<List<Long>> input = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                final List<Long> rows = new ArrayList<>();
                final int n = b >= BATCHES - 5 || random.nextInt(4) == 0 ? 0 : random.nextInt(12);   // empty tail
                for (int r = 0; r < n; r++) {
                    rows.add(random.nextInt(6) == 0 ? null : (long) random.nextInt(5));
                }
                input.add(rows);
            }
            for (final WindowSemantics semantics : List.of(WindowSemantics.SLUICE, WindowSemantics.SPARK)) {
                check(seed, semantics, input, length, slide);
            }
        }
    }

    private static void check(final long seed, final WindowSemantics semantics, final List<List<Long>> input, final long length,
                              final long slide) throws InterruptedException {
        final String what = "seed=" + seed + " " + semantics + " length=" + length + " slide=" + slide;
        final List<MemorySink> sinks = new ArrayList<>();
        try (StreamHarness h = new StreamHarness(2, 2)) {
            h.graph.windowSemantics(semantics);
            final DStream in = h.input("in", INTS);
            final Duration len = Duration.ofMillis(length);
            final Duration sl = Duration.ofMillis(slide);
            sinks.add(in.count().collectToMemory());
            sinks.add(in.countByWindow(len, sl).collectToMemory());
            sinks.add(in.countByValueAndWindow(len, sl).collectToMemory());
            sinks.add(in.reduceByWindow(Reducer.sum("x"), len, sl).collectToMemory());
            sinks.add(in.reduceByWindow(Reducer.sum("x"), (a, b) -> a - b, len, sl).collectToMemory());
            h.start();
            for (final List<Long> batch : input) {
                final List<Object[]> rows = new ArrayList<>();
                for (final Long v : batch) {
                    rows.add(new Object[] {v});
                }
                h.batch(rows);
            }
        }
        final List<List<String>> count = new ArrayList<>();
        final List<List<String>> countByWindow = new ArrayList<>();
        final List<List<String>> byValue = new ArrayList<>();
        final List<List<String>> reduce = new ArrayList<>();
        final List<List<String>> reduceInverse = new ArrayList<>();
        boolean seenValue = false;
        for (int i = 0; i < input.size(); i++) {
            count.add(List.of(Long.toString(input.get(i).size())));
            seenValue |= input.get(i).stream().anyMatch(v -> v != null);
            final long t = (i + 1) * StreamHarness.INTERVAL;
            if (t % slide != 0) {
                continue;
            }
            final List<Long> rows = window(input, t, length);
            countByWindow.add(List.of(Long.toString(rows.size())));
            final Map<String, Long> values = new TreeMap<>();
            long sum = 0;
            int nonNull = 0;
            for (final Long v : rows) {
                values.merge(String.valueOf(v), 1L, Long::sum);
                if (v != null) {
                    sum += v;
                    nonNull++;
                }
            }
            final List<String> counted = new ArrayList<>();
            values.forEach((v, n) -> counted.add(v + "|" + n));
            byValue.add(counted);
            reduce.add(nonNull == 0 ? List.of() : List.of(Long.toString(sum)));
            // Spark keeps the one key at 0 once a value was seen; Sluice drops it, like the recomputed window.
            reduceInverse.add(nonNull > 0 ? List.of(Long.toString(sum))
                : semantics == WindowSemantics.SPARK && seenValue ? List.of("0") : List.of());
        }
        assertEquals(count, perBatch(sinks.get(0)), what);
        assertEquals(countByWindow, perBatch(sinks.get(1)), what);
        assertEquals(byValue, perBatch(sinks.get(2)), what);   // values are 0..4 or null: string order = value order
        assertEquals(reduce, perBatch(sinks.get(3)), what);
        assertEquals(reduceInverse, perBatch(sinks.get(4)), what);
    }
}
