package io.sluice.spark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.spark.SparkRows.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;

import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.MemorySink;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.state.LongColumnsFold;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.engine.stream.state.StateMappingFunction;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Word counts over Sluice's {@link GeneratorSource} give on Spark Structured Streaming (the generator as a micro-batch
 * source, {@code Trigger.AvailableNow}, Parquet file sink with a checkpoint) exactly the rows of Sluice's run over the
 * same generator, one Sluice batch interval per Spark micro-batch: an event-time window count, and keyed state
 * ({@code updateStateByKey}, also across a stop and restart on the checkpoint; {@code mapWithState};
 * {@code mapWithLongState}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkGeneratorStreamTest {
    private static final Schema EVENTS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("word", ColumnType.UTF8));
    private static final long INTERVAL = 100;
    private static final double RATE = 1_000;
    private static final int BATCHES = 6;
    private static final Schema COUNT = Schema.of(Field.notNull("count", ColumnType.INT64));
    private SparkBackend spark;

    @BeforeAll
    void start() {
        spark = SparkBackend.on(SparkTestSupport.session());
    }

    /** 100 words per 100 ms batch of 30 distinct ones, event time 400 rows/s from 1,000,000 ms, 30% up to 900 ms early. */
    private static GeneratorSource generator(final int batches) {
        return GeneratorSource.builder("words", EVENTS).ratePerSecond(RATE).seed(19).vocabulary(30)
            .recordLimit((long) (RATE * INTERVAL / 1000) * batches)
            .eventTime("ts", 1_000_000L, 400).disorder(900, 0.3).build();
    }

    /** Words w1..w3 stop after event time 1,000,600, so later batches call the state function for them without values. */
    private static DStream words(final DStream events) {
        return events.filter(col("word").in(List.of("w1", "w2", "w3")).and(col("ts").ge(lit(1_000_600L))).not());
    }

    /** Counts per word; a key whose count is odd in a batch without its word is removed. */
    private static DStream updateCounts(final DStream events) {
        final StateUpdateFunction count = (StateUpdateFunction & Serializable) (key, values, previous) -> {
            final long before = previous.map(p -> (Long) p[0]).orElse(0L);
            if (values.isEmpty() && before % 2 == 1) {
                return Optional.empty();
            }
            return Optional.of(new Object[] {before + values.size()});
        };
        return words(events).select("word", "ts").updateStateByKey(List.of("word"), COUNT, count);
    }

    /** Sluice's run over a fresh generator, {@code batches} batch times of a clock starting at 0. */
    private static List<MemorySink.BatchRows> sluiceRun(final int batches, final Function<DStream, DStream> pipeline)
        throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).clock(clock).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final StreamInput input = ssc.input(generator(BATCHES));
            final MemorySink sink = pipeline.apply(graph.stream(input)).collectToMemory();
            ssc.start();
            for (long t = INTERVAL; t <= batches * INTERVAL; t += INTERVAL) {
                clock.setMillis(t);
                assertTrue(ssc.awaitBatchCompleted(t, Duration.ofMinutes(2)), "batch " + t + " completed");
            }
            return sink.snapshot();
        }
    }

    private static List<Object[]> rows(final List<MemorySink.BatchRows> batches) {
        final List<Object[]> rows = new ArrayList<>();
        for (final MemorySink.BatchRows b : batches) {
            rows.addAll(b.rows());
        }
        return rows;
    }

    /** The same pipeline on Spark over a new generator of {@code batches} batches' rows, until they are all read. */
    private List<Object[]> sparkRun(final int batches, final Path out, final Path checkpoint,
                                    final Function<DStream, DStream> pipeline) throws Exception {
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            return SparkTestSupport.runToEnd(spark, pipeline.apply(graph.stream(ssc.input(generator(batches)))), out,
                checkpoint, Trigger.AvailableNow());
        }
    }

    @Test
    @Tag("slow")
    void eventTimeWindowWordCountEqualsSluice(@TempDir final Path dir) throws Exception {
        final Function<DStream, DStream> pipeline = s -> s.withWatermark("ts", Duration.ofMillis(300))
            .groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofMillis(500)), "word").agg(Agg.count());
        // One batch more on Sluice: it has no rows and emits the windows the last watermark closes, as Spark's
        // no-data batch after the last micro-batch does.
        final List<Object[]> local = rows(sluiceRun(BATCHES + 1, pipeline));
        assertTrue(local.size() > 30, local.size() + " window counts");
        assertEquals(multiset(local), multiset(sparkRun(BATCHES, dir.resolve("out"), dir.resolve("cp"), pipeline)));
    }

    @Test
    void updateStateByKeyWordCountEqualsSluiceAcrossARestart(@TempDir final Path dir) throws Exception {
        final List<MemorySink.BatchRows> batches = sluiceRun(BATCHES, SparkGeneratorStreamTest::updateCounts);
        // The last batch holds keys that had no rows in it (w1..w3 stopped): Spark must call the function for them too.
        final Set<Object> lastKeys = new HashSet<>();
        for (final Object[] r : batches.get(batches.size() - 1).rows()) {
            lastKeys.add(r[0]);
        }
        assertTrue(lastKeys.contains("w1") || lastKeys.contains("w2") || lastKeys.contains("w3"), lastKeys::toString);
        final List<Object[]> local = rows(batches);
        // Stopped after half the rows, restarted on the checkpoint with the rest: each batch's rows once.
        final Path out = dir.resolve("out");
        final Path checkpoint = dir.resolve("cp");
        final List<Object[]> first = sparkRun(BATCHES / 2, out, checkpoint, SparkGeneratorStreamTest::updateCounts);
        assertTrue(!first.isEmpty() && first.size() < local.size(), first.size() + " rows before the restart");
        assertEquals(multiset(local), multiset(sparkRun(BATCHES, out, checkpoint, SparkGeneratorStreamTest::updateCounts)));
    }

    @Test
    @Tag("slow")
    void mapWithStateAndMapWithLongStateEqualSluice(@TempDir final Path dir) throws Exception {
        final StateMappingFunction running = (StateMappingFunction & Serializable) (key, value, state) -> {
            final long n = state.exists() ? (Long) state.get()[0] + 1 : 1;
            if (n == 7) {
                state.remove();
            } else {
                state.update(new Object[] {n});
            }
            return new Object[] {key[0], n};
        };
        final Schema mapped = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64));
        final Function<DStream, DStream> mapWithState = s -> words(s).select("word", "ts")
            .mapWithState(List.of("word"), StateSpec.function(running, COUNT, mapped));
        final List<Object[]> local = rows(sluiceRun(BATCHES, mapWithState));
        assertTrue(local.size() > BATCHES * 90, local.size() + " mapped rows");
        assertEquals(multiset(local), multiset(sparkRun(BATCHES, dir.resolve("out1"), dir.resolve("cp1"), mapWithState)));

        final LongBinaryOperator sum = (LongBinaryOperator & Serializable) Long::sum;
        final Function<DStream, DStream> longState = s -> s.withColumn("len", col("word").length().cast(ColumnType.INT64))
            .withColumn("one", lit(1L)).mapWithLongState("len", "one", 0, sum, 0);
        final List<Object[]> localLong = rows(sluiceRun(BATCHES, longState));
        assertEquals(BATCHES * 100, localLong.size());
        assertEquals(multiset(localLong), multiset(sparkRun(BATCHES, dir.resolve("out2"), dir.resolve("cp2"), longState)));
    }

    @Test
    @Tag("slow")
    void scriptKeyedWordCountGivesTheSameRowsOnBothEngines(@TempDir final Path dir) throws Exception {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(StreamingWordCountOnSpark.runKeyed(spark.session(), dir, 3, 300, 5, out, out), bytes::toString);
        final String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains("results: identical") && printed.contains("over 3 data batches"), printed);
    }

    @Test
    @Tag("slow")
    void processingTimeTriggerReadsEveryRowOnceAndAvailableNowNeedsARecordLimit(@TempDir final Path dir) throws Exception {
        final Function<DStream, DStream> pipeline = s -> words(s).select("word", "ts");
        final List<Object[]> local = rows(sluiceRun(BATCHES / 2, pipeline));
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            // Wall-clock micro-batches take whole intervals as they fall due: every row once, however they group.
            final StreamingQuery query = spark.writeParquetStream(pipeline.apply(graph.stream(ssc.input(generator(BATCHES / 2)))),
                dir.resolve("out").toString(), dir.resolve("cp").toString(), Trigger.ProcessingTime(200));
            final String end = Long.toString((long) (RATE * INTERVAL / 1000) * (BATCHES / 2));
            final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            try {
                while (query.lastProgress() == null || !end.equals(query.lastProgress().sources()[0].endOffset())) {
                    assertTrue(query.isActive() && System.nanoTime() < deadline, () -> "query reads up to row " + end + ": "
                        + query.exception());
                    Thread.sleep(20);
                }
            } finally {
                query.stop();
            }
            assertEquals(multiset(local), multiset(spark.readParquet(dir.resolve("out").toString())));

            final GeneratorSource endless = GeneratorSource.builder("endless", EVENTS).ratePerSecond(RATE).build();
            final StreamingQuery never = spark.writeParquetStream(graph.stream(ssc.input(endless)), dir.resolve("out2").toString(),
                dir.resolve("cp2").toString(), Trigger.AvailableNow());
            final StreamingQueryException failed = assertThrows(StreamingQueryException.class, never::awaitTermination);
            assertTrue(String.valueOf(failed.getCause()).contains("'endless' has no recordLimit"), () -> failed.toString());
        }
    }

    @Test
    void stateFunctionsThatCannotBeShippedOrTimedOutExactlyAreRefusedBeforeAnythingRuns() throws Exception {
        final Object notSerializable = new Object();
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final DStream events = graph.stream(ssc.input(generator(BATCHES)));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> spark.toStreamingDataFrame(
                events.updateStateByKey(List.of("word"), COUNT, (key, values, previous) -> Optional.of(new Object[] {
                    (long) notSerializable.hashCode()}))));
            assertTrue(ex.getMessage().contains("the StateUpdateFunction of updateStateByKey[updateStateByKey-")
                && ex.getMessage().contains("not serializable"), ex.getMessage());
            final StateMappingFunction identity = (StateMappingFunction & Serializable) (key, value, state) -> null;
            final UnsupportedOperationException timeout = assertThrows(UnsupportedOperationException.class,
                () -> spark.toStreamingDataFrame(events.mapWithState(List.of("word"),
                    StateSpec.function(identity, COUNT, COUNT).timeout(1_000))));
            assertTrue(timeout.getMessage().contains("mapWithState") && timeout.getMessage().contains("timeout"),
                timeout.getMessage());
            final UnsupportedOperationException snapshots = assertThrows(UnsupportedOperationException.class,
                () -> spark.toStreamingDataFrame(events.mapWithState(List.of("word"),
                    StateSpec.function(identity, COUNT, COUNT)).stateSnapshots()));
            assertTrue(snapshots.getMessage().contains("stateSnapshots"), snapshots.getMessage());
            final UnsupportedOperationException columns = assertThrows(UnsupportedOperationException.class,
                () -> spark.toStreamingDataFrame(events.mapWithLongColumns("ts", List.of("ts"), LongColumnsSpec.of(
                    List.of("n"), List.of("ts"), (LongColumnsFold & Serializable) row -> LongColumnsFold.KEEP))));
            assertTrue(columns.getMessage().contains("stream operator mapWithLongColumns[mapWithLongColumns-"),
                columns.getMessage());
        }
    }
}
