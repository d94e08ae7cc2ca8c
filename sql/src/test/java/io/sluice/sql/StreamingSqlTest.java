package io.sluice.sql;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.MemorySink;
import io.sluice.engine.stream.dstream.WatermarkedDStream;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Streaming SQL over a registered DStream with event time: every window form Calcite parses (the group-window calls
 * TUMBLE / HOP / SESSION and the TUMBLE / HOP / SESSION table functions) gives, batch by batch, the rows of the same
 * pipeline written with the DStream event-time API, over random disordered input with late rows; plain per-batch
 * queries likewise; unsupported streaming constructs are {@link SqlException}s with their line and column.
 */
class StreamingSqlTest {
    private static final Schema EVENTS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("k", ColumnType.INT64),
        Field.nullable("v", ColumnType.INT64));
    private static final long INTERVAL = 100;
    private static final long LATENESS = 1500;
    private static final int BATCHES = 24;
    private static final Agg[] AGGS = {Agg.count().as("n"), Agg.sum("v").as("s"), Agg.min("v").as("lo"), Agg.max("v").as("hi"),
        Agg.count("v").as("nv")};
    private static final String SQL_AGGS = "COUNT(*) AS n, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi, COUNT(v) AS nv";

    /** One context, graph and queue source on a manual clock; {@link #run} feeds the batches. */
    private static final class Harness implements AutoCloseable {
        final BufferAllocator allocator = new BufferAllocator();
        final ExecutionContext exec = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.WORK_STEALING,
            FaultInjection.none()), allocator, 3);
        final ManualStreamClock clock = new ManualStreamClock(0);
        final StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .clock(clock).build();
        final DStreamGraph graph = DStreamGraph.on(ssc, exec).partitions(3);
        final QueueSource source = QueueSource.create("events", EVENTS, 1 << 14);
        final StreamInput input = ssc.input(source);
        final DStream events = graph.stream(input);
        final SqlSession session = SqlSession.on(exec).registerStream("events", events, "ts", Duration.ofMillis(LATENESS));

        void run(final List<List<Object[]>> batches) throws InterruptedException {
            ssc.start();
            long t = 0;
            for (final List<Object[]> rows : batches) {
                t += INTERVAL;
                for (final Object[] row : rows) {
                    assertEquals(QueueSource.Offer.ACCEPTED, source.offerRow(row));
                }
                clock.setMillis(t);
                assertTrue(ssc.awaitBatchCompleted(t, Duration.ofSeconds(60)), "batch " + t);
            }
        }

        @Override
        public void close() {
            try {
                graph.close();
                ssc.close();
                exec.close();
                assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
            } finally {
                allocator.close();
            }
        }
    }

    /**
     * Batches of rows whose event time runs about 1 s per batch ahead, each row displaced by up to {@code disorder} ms
     * (so some arrive after the watermark passed their window: late), 5 keys, values with nulls.
     */
    private static List<List<Object[]>> input(final long seed, final long disorder) {
        final Random random = new Random(seed);
        final List<List<Object[]>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            final List<Object[]> rows = new ArrayList<>();
            for (int i = random.nextInt(30); i > 0; i--) {
                final long ts = Math.max(0, b * 1000L + random.nextInt(1000) - (long) (random.nextDouble() * disorder));
                rows.add(new Object[] {ts, (long) random.nextInt(5), random.nextInt(8) == 0 ? null : (long) random.nextInt(100)});
            }
            batches.add(rows);
        }
        return batches;
    }

    /** A sink's rows as batch time -> sorted rows (as lists), keeping only the columns {@code pick}. */
    private static Map<Long, List<List<Object>>> rows(final MemorySink sink, final int... pick) {
        final Map<Long, List<List<Object>>> out = new LinkedHashMap<>();
        for (final MemorySink.BatchRows b : sink.snapshot()) {
            final List<List<Object>> rows = new ArrayList<>();
            for (final Object[] r : b.rows()) {
                final List<Object> row = new ArrayList<>();
                for (final int c : pick) {
                    row.add(r[c]);
                }
                rows.add(row);
            }
            rows.sort(Comparator.comparing(List::toString));
            if (!rows.isEmpty()) {
                out.put(b.batchTimeMillis(), rows);
            }
        }
        return out;
    }

    private static int[] all(final int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private record Case(String name, MemorySink sql, int[] sqlColumns, MemorySink dsl, int[] dslColumns) {
    }

    @Test
    void windowQueriesEqualTheDStreamEventTimePipelineOverDisorderedInput() throws InterruptedException {
        final long[] disorders = {0, LATENESS / 2, LATENESS * 3};
        for (int seed = 1; seed <= 3; seed++) {
            final String label = "seed=" + seed + " disorder=" + disorders[seed - 1];
            final List<Case> cases = new ArrayList<>();
            try (Harness h = new Harness()) {
                final WatermarkedDStream marked = h.events.withWatermark("ts", Duration.ofMillis(LATENESS));
                final Consumer<Case> add = cases::add;
                final MemorySink tumbling = marked.groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofSeconds(2)), "k")
                    .agg(AGGS).collectToMemory();
                add.accept(new Case("TUMBLE table function", h.session.stream("SELECT window_start, window_end, k, " + SQL_AGGS
                    + "\nFROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND))\nGROUP BY window_start, window_end, k")
                    .collectToMemory(), all(8), tumbling, all(8)));
                add.accept(new Case("TUMBLE group window", h.session.stream("SELECT TUMBLE_START(ts, INTERVAL '2' SECOND) AS ws,"
                    + " TUMBLE_END(ts, INTERVAL '2' SECOND) AS we, k, " + SQL_AGGS + " FROM events"
                    + " GROUP BY TUMBLE(ts, INTERVAL '2' SECOND), k").collectToMemory(), all(8), tumbling, all(8)));
                final MemorySink hopping = marked.groupByWindow(EventTimeWindow.hopping("ts", Duration.ofMillis(1500),
                    Duration.ofMillis(500)), "k").agg(AGGS).collectToMemory();
                add.accept(new Case("HOP table function", h.session.stream("SELECT window_start, window_end, k, " + SQL_AGGS
                    + " FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '0.5' SECOND, INTERVAL '1.5' SECOND))"
                    + " GROUP BY window_start, window_end, k").collectToMemory(), all(8), hopping, all(8)));
                add.accept(new Case("HOP group window", h.session.stream("SELECT k, HOP_END(ts, INTERVAL '0.5' SECOND,"
                    + " INTERVAL '1.5' SECOND) AS we, " + SQL_AGGS + ", HOP_START(ts, INTERVAL '0.5' SECOND, INTERVAL '1.5' SECOND)"
                    + " AS ws FROM events GROUP BY k, HOP(ts, INTERVAL '0.5' SECOND, INTERVAL '1.5' SECOND)").collectToMemory(),
                    new int[] {7, 1, 0, 2, 3, 4, 5, 6}, hopping, all(8)));
                final MemorySink sessions = marked.groupByWindow(EventTimeWindow.session("ts", Duration.ofMillis(700)), "k")
                    .agg(AGGS).collectToMemory();
                add.accept(new Case("SESSION table function", h.session.stream("SELECT window_start, window_end, k, " + SQL_AGGS
                    + " FROM TABLE(SESSION(TABLE events, DESCRIPTOR(ts), DESCRIPTOR(k), INTERVAL '0.7' SECOND))"
                    + " GROUP BY window_start, window_end, k").collectToMemory(), all(8), sessions, all(8)));
                add.accept(new Case("SESSION group window", h.session.stream("SELECT SESSION_START(ts, INTERVAL '0.7' SECOND)"
                    + " AS ws, k, " + SQL_AGGS + " FROM events GROUP BY SESSION(ts, INTERVAL '0.7' SECOND), k").collectToMemory(),
                    all(7), sessions, new int[] {0, 2, 3, 4, 5, 6, 7}));
                final MemorySink filtered = marked.filter(col("v").gt(lit(20L))).groupByWindow(
                    EventTimeWindow.tumbling("ts", Duration.ofSeconds(1))).agg(Agg.count().as("n"), Agg.avg("v").as("a"))
                    .filter(col("n").gt(lit(2L))).collectToMemory();
                add.accept(new Case("WHERE + global window + HAVING", h.session.stream("SELECT window_start, COUNT(*) AS n,"
                    + " AVG(v) AS a FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)) WHERE v > 20"
                    + " GROUP BY window_start, window_end HAVING COUNT(*) > 2").collectToMemory(), all(3), filtered,
                    new int[] {0, 2, 3}));
                final MemorySink perBatch = h.events.filter(col("v").gt(lit(50L))).select(col("k"), col("v").times(lit(2L)).as("v2"))
                    .collectToMemory();
                add.accept(new Case("per-batch SELECT ... WHERE", h.session.stream("SELECT k, v * 2 AS v2 FROM events WHERE v > 50")
                    .collectToMemory(), all(2), perBatch, all(2)));
                h.run(input(seed, disorders[seed - 1]));
            }
            for (final Case c : cases) {
                final Map<Long, List<List<Object>>> want = rows(c.dsl(), c.dslColumns());
                assertEquals(want, rows(c.sql(), c.sqlColumns()), label + " " + c.name());
                assertTrue(want.values().stream().mapToInt(List::size).sum() >= 5, label + " " + c.name() + ": rows emitted " + want);
            }
        }
    }

    @Test
    void windowBoundsAreEpochMillisAndLateRowsAreDropped() throws InterruptedException {
        try (Harness h = new Harness()) {
            final DStream counts = h.session.stream("SELECT window_start AS ws, window_end, COUNT(*) AS n FROM TABLE(TUMBLE("
                + "TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end");
            assertEquals(List.of("ws", "window_end", "n"), counts.schema().fields().stream().map(Field::name).toList());
            final MemorySink sink = counts.collectToMemory();
            h.run(List.of(List.<Object[]>of(new Object[] {1200L, 1L, 1L}, new Object[] {1900L, 1L, 1L}),
                List.<Object[]>of(new Object[] {4000L, 1L, 1L}),    // watermark 4000 - 1500 = 2500: window [1000, 2000) closes
                List.<Object[]>of(new Object[] {1500L, 1L, 1L}, new Object[] {2600L, 1L, 1L}),    // 1500 is late; 2600 is not
                List.<Object[]>of(new Object[] {9000L, 1L, 1L})));    // watermark 7500 closes [2000, 3000) and [4000, 5000)
            final Map<Long, List<List<Object>>> got = rows(sink, 0, 1, 2);
            assertEquals(Map.of(200L, List.of(Arrays.asList(1000L, 2000L, 2L)),
                400L, List.of(Arrays.asList(2000L, 3000L, 1L), Arrays.asList(4000L, 5000L, 1L))), got);
        }
    }

    @Test
    void unsupportedStreamingConstructsNameTheirLineAndColumn() {
        try (Harness h = new Harness()) {
            final SqlException unbounded = assertThrows(SqlException.class,
                () -> h.session.stream("SELECT k, COUNT(*) AS n\nFROM events\nGROUP BY k"));
            assertTrue(unbounded.getMessage().contains("without an event-time window"), unbounded.getMessage());
            assertEquals(3, unbounded.line(), unbounded.getMessage());
            assertEquals(10, unbounded.column(), unbounded.getMessage());
            final SqlException global = assertThrows(SqlException.class, () -> h.session.stream("SELECT SUM(v) FROM events"));
            assertEquals(List.of(1, 8), List.of(global.line(), global.column()), global.getMessage());
            final SqlException order = assertThrows(SqlException.class,
                () -> h.session.stream("SELECT k, v\n  FROM events WHERE v > 3\n  ORDER BY v"));
            assertTrue(order.getMessage().contains("ORDER BY"), order.getMessage());
            assertEquals(List.of(3, 3), List.of(order.line(), order.column()), order.getMessage());
            final SqlException windowedOrder = assertThrows(SqlException.class, () -> h.session.stream(
                "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND))"
                    + " GROUP BY window_start ORDER BY window_start"));
            assertTrue(windowedOrder.getMessage().contains("ORDER BY"), windowedOrder.getMessage());
            final SqlException join = assertThrows(SqlException.class,
                () -> h.session.stream("SELECT a.k FROM events a JOIN events b ON a.k = b.k"));
            assertEquals(List.of(1, 26), List.of(join.line(), join.column()), join.getMessage());
            final SqlException sessionEnd = assertThrows(SqlException.class, () -> h.session.stream(
                "SELECT SESSION_END(ts, INTERVAL '1' SECOND), COUNT(*) FROM events GROUP BY SESSION(ts, INTERVAL '1' SECOND)"));
            assertEquals(List.of(1, 8), List.of(sessionEnd.line(), sessionEnd.column()), sessionEnd.getMessage());
            final SqlException notTime = assertThrows(SqlException.class, () -> h.session.stream(
                "SELECT COUNT(*) FROM events GROUP BY TUMBLE(ts + INTERVAL '1' SECOND, INTERVAL '1' SECOND)"));
            assertTrue(notTime.getMessage().contains("event-time column 'ts'"), notTime.getMessage());
            final SqlException windowFilter = assertThrows(SqlException.class, () -> h.session.stream("SELECT window_start,"
                + " COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND))\nWHERE window_start >"
                + " TIMESTAMP '1970-01-01 00:00:01' GROUP BY window_start"));
            assertTrue(windowFilter.getMessage().contains("window_start"), windowFilter.getMessage());
            assertEquals(List.of(2, 7), List.of(windowFilter.line(), windowFilter.column()), windowFilter.getMessage());
            final SqlException hop = assertThrows(SqlException.class, () -> h.session.stream("SELECT COUNT(*) FROM events"
                + " GROUP BY HOP(ts, INTERVAL '0.3' SECOND, INTERVAL '1' SECOND)"));
            assertTrue(hop.getMessage().contains("multiple of slide=300ms"), hop.getMessage());
            final SqlException batch = assertThrows(SqlException.class, () -> h.session.sql("SELECT k FROM events"));
            assertTrue(batch.getMessage().contains("is a stream"), batch.getMessage());
            try (SourceDataset none = h.exec.fromRows(EVENTS, List.of(), 1)) {
                final SqlException noStream = assertThrows(SqlException.class,
                    () -> h.session.withTable("t", none).stream("SELECT k FROM t"));
                assertTrue(noStream.getMessage().contains("reads no stream"), noStream.getMessage());
            }
        }
    }
}
