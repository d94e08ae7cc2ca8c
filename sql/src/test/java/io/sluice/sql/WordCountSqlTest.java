package io.sluice.sql;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.MemorySink;
import io.sluice.engine.stream.dstream.Reducer;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The README's word count written in SQL gives the DSL's rows: over a Dataset, and over a DStream window both as a
 * per-batch SQL stream ({@link SqlSession#perBatch}) and as a view registered inside {@code foreachBatch}.
 */
class WordCountSqlTest {
    private static final Schema LINES = new Schema(List.of(new Field("line", ColumnType.UTF8, true)));
    private static final String[] WORDS = {"the", "The", "cat", "HAT", "and", "end", "été", "naïve", "日本"};
    private static final String WORD_COUNT = "SELECT word, COUNT(*) AS `count` FROM words GROUP BY word";

    private static List<Object[]> randomLines(final Random random, final int n) {
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final StringBuilder sb = new StringBuilder();
            for (int w = random.nextInt(6); w > 0; w--) {
                sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextBoolean() ? " " : "  ");
            }
            rows.add(new Object[] {random.nextInt(10) == 0 ? null : sb.toString()});
        }
        return rows;
    }

    /** The README pipeline up to the words: lower-case lines split on spaces. */
    private static Dataset words(final Dataset lines) {
        return lines.withColumn("line", col("line").lower()).flatMap(Expr.split(col("line"), " "), "word");
    }

    private static Map<String, Long> asMap(final List<Object[]> rows) {
        final Map<String, Long> m = new TreeMap<>();
        for (final Object[] r : rows) {
            assertEquals(null, m.put((String) r[0], (Long) r[1]), "one row per word");
        }
        return m;
    }

    @Test
    void readmeWordCountInSqlEqualsTheDsl() {
        final List<Object[]> rows = randomLines(new Random(11), 2000);
        try (ExecutionContext ctx = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.WORK_STEALING,
            FaultInjection.none()))) {
            final Dataset lines = ctx.fromRows(LINES, rows, 8);
            final List<Object[]> dsl = words(lines).groupBy("word").agg(Agg.count()).collect();
            final SqlSession sql = SqlSession.on(ctx).register("words", words(lines));
            assertEquals(asMap(dsl), asMap(sql.sql(WORD_COUNT).collect()));
            // The lower-casing in SQL instead of the DSL: same rows.
            final Dataset raw = lines.flatMap(Expr.split(col("line"), " "), "word");
            assertEquals(asMap(dsl), asMap(sql.withTable("raw", raw)
                .sql("SELECT LOWER(word) AS word, COUNT(*) AS `count` FROM raw GROUP BY LOWER(word)").collect()));
        }
    }

    @Test
    void windowedWordCountInSqlEqualsTheDslEveryBatch() throws InterruptedException {
        final Random random = new Random(12);
        final BufferAllocator allocator = new BufferAllocator();
        final ManualStreamClock clock = new ManualStreamClock(0);
        final ExecutionContext exec = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.WORK_STEALING,
            FaultInjection.none()), allocator, 3);
        final Map<Long, Map<String, Long>> viaView = new ConcurrentHashMap<>();
        try (StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec).partitions(3)) {
            final QueueSource source = QueueSource.create("lines", LINES, 1 << 12);
            final StreamInput input = ssc.input(source);
            final DStream lines = graph.stream(input);
            final DStream words = lines.withColumn("line", col("line").lower()).flatMap(Expr.split(col("line"), " "), "word");
            final DStream window = words.window(Duration.ofMillis(300), Duration.ofMillis(100));
            final MemorySink dsl = words.reduceByKeyAndWindow(List.of("word"), Reducer.count(), (a, b) -> a - b,
                Duration.ofMillis(300), Duration.ofMillis(100)).collectToMemory();
            final SqlSession session = SqlSession.on(exec);
            final MemorySink sql = session.perBatch(window, "words", WORD_COUNT).collectToMemory();
            window.foreachBatch((time, batch) -> viaView.put(time,
                asMap(session.withTable("words", batch).sql(WORD_COUNT).collect())));
            assertThrows(SqlException.class, () -> session.perBatch(window, "words", "SELECT nope FROM words"),
                "a bad query fails when the stream is defined");
            ssc.start();
            for (long t = 100; t <= 1000; t += 100) {
                // The job generator drains the queue when it cuts batch t: these lines are batch t's.
                for (final Object[] line : t > 700 ? List.<Object[]>of() : randomLines(random, random.nextInt(40))) {
                    assertEquals(QueueSource.Offer.ACCEPTED, source.offerRow(line));
                }
                clock.setMillis(t);
                assertTrue(ssc.awaitBatchCompleted(t, Duration.ofSeconds(30)), "batch " + t);
            }
            assertEquals(dsl.batchTimes(), sql.batchTimes());
            assertEquals(10, sql.batchTimes().size());
            for (int i = 0; i < dsl.snapshot().size(); i++) {
                final Map<String, Long> want = asMap(dsl.snapshot().get(i).rows());
                assertEquals(want, asMap(sql.snapshot().get(i).rows()), "batch " + dsl.batchTimes().get(i));
                assertEquals(want, viaView.get(dsl.batchTimes().get(i)), "view in foreachBatch, batch " + dsl.batchTimes().get(i));
            }
            assertTrue(asMap(dsl.snapshot().get(3).rows()).size() > 3, "the window holds words");
        } finally {
            exec.close();
            assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
            allocator.close();
        }
    }
}
