package io.sluice.spark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.spark.SparkRows.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.MemorySink;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.source.DirectorySource;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * A DStream graph over a folder of files gives on Spark Structured Streaming (local[2], file source, Parquet file sink
 * with a checkpoint) exactly the rows Sluice's event-time run gives over the same files, one file per micro-batch in
 * both; a query stopped part-way and restarted on its checkpoint gives the same rows again, each once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkStreamingEquivalenceTest {
    private static final Schema EVENTS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("k", ColumnType.UTF8),
        Field.nullable("v", ColumnType.INT64));
    private static final long INTERVAL = 100;
    private static final int FILES = 10;
    private SparkBackend spark;

    @BeforeAll
    void start() {
        spark = SparkBackend.on(SparkTestSupport.session());
    }

    @AfterAll
    void stop() {
        spark.session().streams().resetTerminated();
    }

    /** {@link #FILES} batch files of events moving forward 1.5 s per file, out of order by up to 4 s, some far behind. */
    private static long writeEvents(final Path dir, final int from, final int to) throws Exception {
        final Random random = new Random(0x5EED_0001L);
        long maxTs = Long.MIN_VALUE;
        try (BufferAllocator allocator = new BufferAllocator()) {
            for (int f = 0; f < to; f++) {
                final List<Object[]> rows = new ArrayList<>();
                final int n = 20 + random.nextInt(20);
                for (int r = 0; r < n; r++) {
                    long ts = 1_000_000L + f * 1_500L + random.nextInt(1_500) - random.nextInt(4_000);
                    if (random.nextInt(25) == 0) {
                        ts -= 20_000;                                    // late: its windows have closed
                    }
                    final Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(100) - 10;
                    rows.add(new Object[] {ts, "k" + random.nextInt(4), v});
                    maxTs = Math.max(maxTs, ts);
                }
                if (f < from) {
                    continue;
                }
                final Path file = dir.resolve(String.format("events-%03d.sbf", f));
                try (Batch batch = DatasetBatches.fromRows(allocator, EVENTS, rows);
                     BatchFileWriter writer = BatchFileWriter.create(file, EVENTS)) {
                    writer.write(batch);
                }
                // Spark's file source takes files by modification time, Sluice's by name: make both orders agree.
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L + f * 1_000L));
            }
        }
        return maxTs;
    }

    /** The pipeline both engines run: per-batch row operators, a watermark, an event-time window aggregate. */
    private static DStream windowCounts(final DStream events, final EventTimeWindow window) {
        return events.filter(col("v").isNull().or(col("v").ge(lit(0))))
            .withColumn("big", Expr.caseWhen(List.of(col("v").gt(lit(50L))), List.of(lit(1L)), lit(0L)))
            .withWatermark("ts", Duration.ofSeconds(2))
            .select("ts", "k", "v", "big")
            .groupByWindow(window, "k")
            .agg(Agg.count(), Agg.sum("v"), Agg.max("v"), Agg.sum("big").as("big"))
            .filter(col("count").gt(lit(1L)));
    }

    /** Sluice's event-time run over the folder: one file per batch, as many batches as files plus one. */
    private static List<Object[]> sluiceRun(final Path dir, final boolean text, final Function<DStream, DStream> pipeline)
        throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final List<Object[]> rows = new ArrayList<>();
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).clock(clock).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final StreamInput input = ssc.input(folder(dir, text));
            final MemorySink sink = pipeline.apply(graph.stream(input)).collectToMemory();
            ssc.start();
            for (long t = INTERVAL; t <= (FILES + 1) * INTERVAL; t += INTERVAL) {
                clock.setMillis(t);
                assertTrue(ssc.awaitBatchCompleted(t, Duration.ofMinutes(2)), "batch " + t + " completed");
            }
            for (final MemorySink.BatchRows b : sink.snapshot()) {
                rows.addAll(b.rows());
            }
        }
        return rows;
    }

    private static DirectorySource folder(final Path dir, final boolean text) {
        return (text ? DirectorySource.textLines("in", dir, 1 << 16) : DirectorySource.batchFiles("in", dir, EVENTS))
            .maxFilesPerBatch(1);
    }

    /** The same pipeline translated for Spark (the graph is only defined, never started, on the Sluice side). */
    private List<Object[]> sparkRun(final Path in, final Path out, final Path checkpoint, final boolean text,
                                    final Function<DStream, DStream> pipeline, final Trigger trigger) throws Exception {
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            return SparkTestSupport.runToEnd(spark, pipeline.apply(graph.stream(ssc.input(folder(in, text)))), out, checkpoint,
                trigger);
        }
    }

    @Test
    @Tag("slow")
    void tumblingAndHoppingWindowsWithWatermarkEqualSluiceAcrossARestart(@TempDir final Path dir) throws Exception {
        final Path in = Files.createDirectories(dir.resolve("in"));
        final long watermark = writeEvents(in, 0, FILES) - 2_000;
        final Path half = Files.createDirectories(dir.resolve("half"));
        writeEvents(half, 0, FILES / 2);
        for (final EventTimeWindow window : List.of(EventTimeWindow.tumbling("ts", Duration.ofSeconds(5)),
            EventTimeWindow.hopping("ts", Duration.ofSeconds(6), Duration.ofSeconds(2)))) {
            final Function<DStream, DStream> pipeline = s -> windowCounts(s, window);
            final List<Object[]> local = sluiceRun(in, false, pipeline);
            // The last window the final watermark closes is emitted (by Spark in a batch without data after the last file).
            final long lastEnd = Math.floorDiv(watermark, window.slideMillis()) * window.slideMillis();
            assertTrue(local.stream().anyMatch(r -> (Long) r[1] == lastEnd), "a window ending at " + lastEnd);
            final String name = window.kind().name();
            if (window.kind() == EventTimeWindow.Kind.HOPPING) {
                assertEquals(multiset(local), multiset(sparkRun(in, dir.resolve("out-" + name), dir.resolve("cp-" + name), false,
                    pipeline, Trigger.AvailableNow())), window::toString);
                continue;
            }
            // Stopped and restarted: the first query sees half the files and stops; the rest arrive; a second query on
            // the same checkpoint continues from the committed offsets, watermark and window state.
            final Path out = dir.resolve("out-" + name);
            final Path checkpoint = dir.resolve("cp-" + name);
            final List<Object[]> first = sparkRun(half, out, checkpoint, false, pipeline, Trigger.AvailableNow());
            writeEvents(half, FILES / 2, FILES);
            final List<Object[]> restarted = sparkRun(half, out, checkpoint, false, pipeline, Trigger.AvailableNow());
            assertFalse(first.isEmpty());
            assertTrue(restarted.size() > first.size(), restarted.size() + " rows after the restart, " + first.size() + " before");
            assertEquals(multiset(local), multiset(restarted), window::toString);
        }
    }

    @Test
    void textLinesWithRowWiseOperatorsEqualSluice(@TempDir final Path dir) throws Exception {
        final Path in = Files.createDirectories(dir.resolve("in"));
        final Random random = new Random(7);
        final String[] words = {"the", "cat", "Straße", "hat", "", "a,b", "ÉCOLE"};
        for (int f = 0; f < FILES; f++) {
            final StringBuilder text = new StringBuilder();
            for (int l = 0; l < 10; l++) {
                for (int w = 0; w < random.nextInt(6); w++) {
                    text.append(words[random.nextInt(words.length)]).append(' ');
                }
                text.append('\n');
            }
            final Path file = in.resolve(String.format("lines-%03d.txt", f));
            Files.writeString(file, text);
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L + f * 1_000L));
        }
        final Function<DStream, DStream> pipeline = s -> s.flatMap(Expr.split(col("line"), " ,"), "word")
            .filter(col("word").in(List.of("cat", "hat")).not())
            .withColumn("n", col("word").length().cast(ColumnType.INT64))
            .transform(d -> d.select(col("word").upper().as("w"), col("n")));
        final List<Object[]> local = sluiceRun(in, true, pipeline);
        assertFalse(local.isEmpty());
        assertEquals(multiset(local), multiset(sparkRun(in, dir.resolve("out"), dir.resolve("cp"), true, pipeline,
            Trigger.AvailableNow())));
    }

    @Test
    void scriptStreamingWordCountGivesTheSameWindowsOnBothEngines(@TempDir final Path dir) throws Exception {
        // Parses the event time out of each line (substring, cast), then flatMaps it into words: the watermark's
        // hidden column is carried through the flatMap.
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(StreamingWordCountOnSpark.run(spark.session(), dir, 6, 150, 3, out, out), bytes::toString);
        final String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains("results: identical") && !printed.contains("identical (0 "), printed);
    }

    @Test
    void untranslatableStreamOperatorsAreRefusedBeforeAnythingRuns(@TempDir final Path dir) throws Exception {
        try (ExecutionContext exec = ExecutionContext.create(SparkTestSupport.sluiceConfig());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final DStream events = graph.stream(ssc.input(folder(dir, false)));
            final DStream watermarked = events.withWatermark("ts", Duration.ofSeconds(1));
            assertRefused(events.countByKey("k"), "countByKey");
            assertRefused(events.window(Duration.ofMillis(2 * INTERVAL), Duration.ofMillis(INTERVAL)), "window");
            assertRefused(events.transformWithTime((t, d) -> d), "transformWithTime");
            assertRefused(watermarked.groupByWindow(EventTimeWindow.session("ts", Duration.ofSeconds(3)), "k").agg(Agg.count()),
                "session windows");
            assertRefused(watermarked.groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofSeconds(3)), "k")
                .outputMode(OutputMode.UPDATE).agg(Agg.count()), "append mode only");
            assertRefused(watermarked.groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofSeconds(3)), "k").agg(Agg.count())
                .updateStateByKey(List.of("k"), Schema.of(Field.notNull("n", ColumnType.INT64)),
                    (StateUpdateFunction & Serializable) (key, values, previous) -> previous), "one stateful operator");
            final Schema queued = Schema.of(Field.notNull("x", ColumnType.INT64));
            assertRefused(graph.stream(ssc.input(QueueSource.create("queue", queued, 16))), "QueueSource");
        }
        assertEquals(0, spark.session().streams().active().length);
    }

    private void assertRefused(final DStream stream, final String naming) {
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
            () -> spark.toStreamingDataFrame(stream));
        assertTrue(ex.getMessage().contains(naming), ex.getMessage());
    }
}
