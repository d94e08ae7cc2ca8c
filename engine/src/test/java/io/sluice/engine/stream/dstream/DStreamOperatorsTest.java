package io.sluice.engine.stream.dstream;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;

public class DStreamOperatorsTest {
    public static final Schema EVENTS = Schema.of(Field.notNull("k", ColumnType.UTF8), Field.nullable("v", ColumnType.INT64));
    static final Schema LINES = Schema.of(Field.nullable("line", ColumnType.UTF8));

    /** Random events: keys k0..k{keys-1}, values in [-50, 50) or null (1 in 10). */
    static List<Object[]> events(final Random random, final int rows, final int keys) {
        final List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            out.add(new Object[] {"k" + random.nextInt(keys), random.nextInt(10) == 0 ? null : (long) (random.nextInt(100) - 50)});
        }
        return out;
    }

    /** Rows as "a|b|..." strings, sorted, for order-insensitive comparison. */
    public static List<String> sorted(final List<Object[]> rows) {
        final List<String> out = new ArrayList<>();
        for (final Object[] row : rows) {
            final StringBuilder s = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                s.append(i == 0 ? "" : "|").append(row[i]);
            }
            out.add(s.toString());
        }
        out.sort(null);
        return out;
    }

    @Test
    void perBatchOperatorsMatchAPlainJavaReference() throws Exception {
        final Random random = new Random(7);
        final List<List<Object[]>> inputs = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            inputs.add(b == 2 ? List.of() : events(random, random.nextInt(200), 7));
        }
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final MemorySink filtered = events.filter(col("v").gt(lit(0L))).collectToMemory();
            final MemorySink mapped = events.map(col("k"), col("v").times(lit(2L)).as("v2")).collectToMemory();
            final MemorySink withColumn = events.withColumn("big", col("v").ge(lit(25L))).select("k", "big").collectToMemory();
            final MemorySink counts = events.countByKey("k").collectToMemory();
            final MemorySink sums = events.reduceByKey(List.of("k"), Agg.sum("v").as("s")).collectToMemory();
            final MemorySink custom = events.reduceByKey(List.of("k"), Reducer.of("v", Math::max).as("m")).collectToMemory();
            final MemorySink counted = events.reduceByKey(List.of("k"), Reducer.count()).collectToMemory();
            h.start();
            for (final List<Object[]> rows : inputs) {
                h.batch(rows);
            }
            for (int b = 0; b < inputs.size(); b++) {
                final List<Object[]> in = inputs.get(b);
                final List<Object[]> expFilter = new ArrayList<>();
                final List<Object[]> expMap = new ArrayList<>();
                final List<Object[]> expWith = new ArrayList<>();
                final Map<String, Long> expCount = new TreeMap<>();
                final Map<String, Long> expSum = new HashMap<>();
                final Map<String, Long> expMax = new HashMap<>();
                for (final Object[] r : in) {
                    final String k = (String) r[0];
                    final Long v = (Long) r[1];
                    if (v != null && v > 0) {
                        expFilter.add(r);
                    }
                    expMap.add(new Object[] {k, v == null ? null : v * 2});
                    expWith.add(new Object[] {k, v == null ? null : v >= 25});
                    expCount.merge(k, 1L, Long::sum);
                    if (v != null) {
                        expSum.merge(k, v, Long::sum);
                        expMax.merge(k, v, Math::max);
                    } else {
                        expSum.putIfAbsent(k, null);
                    }
                }
                assertEquals(sorted(expFilter), sorted(filtered.snapshot().get(b).rows()), "filter batch " + b);
                assertEquals(sorted(expMap), sorted(mapped.snapshot().get(b).rows()), "map batch " + b);
                assertEquals(sorted(expWith), sorted(withColumn.snapshot().get(b).rows()), "withColumn batch " + b);
                assertEquals(sorted(rows(expCount)), sorted(counts.snapshot().get(b).rows()), "countByKey batch " + b);
                assertEquals(sorted(rows(expCount)), sorted(counted.snapshot().get(b).rows()), "Reducer.count batch " + b);
                assertEquals(sorted(rows(expSum)), sorted(sums.snapshot().get(b).rows()), "reduceByKey(Agg) batch " + b);
                assertEquals(sorted(rows(expMax)), sorted(custom.snapshot().get(b).rows()), "reduceByKey(Reducer) batch " + b);
            }
            assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 600L), filtered.batchTimes());
        }
    }

    static List<Object[]> rows(final Map<String, Long> map) {
        final List<Object[]> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(new Object[] {k, v}));
        return out;
    }

    @Test
    void flatMapAndTransformWithTimeSeeEveryBatch() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream lines = h.input("lines", LINES);
            final MemorySink words = lines.flatMap(Expr.split(col("line"), " "), "word").countByKey("word").collectToMemory();
            final MemorySink stamped = lines.transformWithTime((t, d) -> d.withColumn("t", lit(t))).select("t").collectToMemory();
            h.start();
            h.batch(StreamHarness.rows(new Object[] {"a b a"}, new Object[] {null}, new Object[] {"c"}));
            h.batch(List.of());
            h.batch(StreamHarness.rows(new Object[] {"b"}));
            assertEquals(List.of("a|2", "b|1", "c|1"), sorted(words.snapshot().get(0).rows()));
            assertEquals(List.of(), sorted(words.snapshot().get(1).rows()));
            assertEquals(List.of("b|1"), sorted(words.snapshot().get(2).rows()));
            assertEquals(List.of("100", "100", "100"), sorted(stamped.snapshot().get(0).rows()));
            assertEquals(List.of("300"), sorted(stamped.snapshot().get(2).rows()));
        }
    }

    @Test
    void badDefinitionsFailAtDefinitionTimeNamingTheValue() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final IllegalArgumentException reducer = assertThrows(IllegalArgumentException.class,
                () -> events.reduceByKey(List.of("k"), Reducer.sum("k")));
            assertTrue(reducer.getMessage().contains("reducer column 'k' has type=UTF8"), reducer.getMessage());
            final IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> events.reduceByKey(List.of("nope"), Reducer.count()));
            assertTrue(key.getMessage().contains("key column 'nope'"), key.getMessage());
        }
    }
}
