package io.sluice.spark;

import static io.sluice.engine.dataset.Expr.col;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.MemorySink;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.source.DirectorySource;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * {@code scripts/run-on-spark --streaming}: the word count as a stream, per 10 s event-time window with a 1 s watermark,
 * over a folder of text files (one per micro-batch; each line {@code <13-digit epoch ms> words...}), run on Sluice
 * and as a Spark Structured Streaming query through {@link SparkBackend#writeParquetStream}. Prints whether the
 * windows are identical and each engine's time per micro-batch. {@code --keyed} runs a keyed-state word count over a
 * generator instead ({@link #runKeyed}).
 */
final class StreamingWordCountOnSpark {
    private static final long INTERVAL = 100;

    private StreamingWordCountOnSpark() {
    }

    /** The streaming word count: timestamp and words parsed from each line, counted per word and 10 s window. */
    static DStream wordCount(final DStream lines) {
        return lines.withColumn("ts", col("line").substring(0, 13).cast(ColumnType.INT64))
            .withColumn("line", col("line").substring(14, Integer.MAX_VALUE).lower())
            .flatMap(Expr.split(col("line"), " "), "word", "ts")
            .withWatermark("ts", Duration.ofSeconds(1))
            .groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofSeconds(10)), "word")
            .agg(Agg.count());
    }

    /** {@code files} files of {@code lines} lines each, event time moving 2 s per file, named and dated in order. */
    static void writeFiles(final Path dir, final int files, final int lines, final long seed) throws IOException {
        final List<Object[]> words = WordCountOnSpark.lines(files * lines, seed);
        final Random random = new Random(seed);
        final long now = System.currentTimeMillis();
        for (int f = 0; f < files; f++) {
            final StringBuilder text = new StringBuilder();
            for (int l = 0; l < lines; l++) {
                final Object line = words.get(f * lines + l)[0];
                final long ts = 1_700_000_000_000L + f * 2_000L + random.nextInt(2_000) - random.nextInt(1_500);
                text.append(ts).append(' ').append(line == null ? "" : line).append('\n');
            }
            final Path file = dir.resolve(String.format("lines-%05d.txt", f));
            Files.writeString(file, text);
            Files.setLastModifiedTime(file, FileTime.fromMillis(now - 3_600_000L + f * 1_000L));
        }
    }

    static boolean run(final SparkSession session, final Path work, final int files, final int lines, final long seed,
                       final PrintStream out, final PrintStream progress) throws IOException, TimeoutException {
        final Path in = Files.createDirectories(work.resolve("in"));
        writeFiles(in, files, lines, seed);
        final Supplier<Source> folder = () -> DirectorySource.textLines("lines", in, 1 << 20).maxFilesPerBatch(1);
        final long[] sluiceNanos = new long[files];
        final List<Object[]> sluice = sluiceRun(folder, StreamingWordCountOnSpark::wordCount, sluiceNanos);
        progress.println("sluice: " + files + " micro-batches done");
        final List<Long> sparkMillis = new ArrayList<>();
        final List<Object[]> remote = sparkRun(SparkBackend.on(session), folder, StreamingWordCountOnSpark::wordCount, work,
            sparkMillis);
        out.println("streaming word count: " + files + " files of " + lines + " lines, one file per micro-batch, 10 s windows");
        return report(sluice, remote, sluiceNanos, sparkMillis, "window rows", out);
    }

    /** The keyed-state word count: a running total per word ({@code updateStateByKey}), every word each batch. */
    static DStream runningCounts(final DStream words) {
        final StateUpdateFunction total = (StateUpdateFunction & Serializable) (key, values, previous) ->
            Optional.of(new Object[] {previous.map(p -> (Long) p[0]).orElse(0L) + values.size()});
        return words.updateStateByKey(List.of("word"), Schema.of(Field.notNull("count", ColumnType.INT64)), total);
    }

    /**
     * {@code scripts/run-on-spark --keyed}: {@link #runningCounts} over a {@link GeneratorSource} of {@code batches}
     * micro-batches of {@code rows} words each (1,000 distinct), on Sluice and on Spark (the generator as a micro-batch
     * source, one Sluice batch interval per Spark micro-batch). Prints whether the outputs are identical and each
     * engine's time per micro-batch.
     */
    static boolean runKeyed(final SparkSession session, final Path work, final int batches, final int rows, final long seed,
                            final PrintStream out, final PrintStream progress) throws TimeoutException {
        final Schema words = Schema.of(Field.notNull("word", ColumnType.UTF8));
        final Supplier<Source> generator = () -> GeneratorSource.builder("words", words).seed(seed)
            .ratePerSecond(rows * 1000.0 / INTERVAL).recordLimit((long) rows * batches).build();
        final long[] sluiceNanos = new long[batches];
        final List<Object[]> sluice = sluiceRun(generator, StreamingWordCountOnSpark::runningCounts, sluiceNanos);
        progress.println("sluice: " + batches + " micro-batches done");
        final List<Long> sparkMillis = new ArrayList<>();
        final List<Object[]> remote = sparkRun(SparkBackend.on(session), generator, StreamingWordCountOnSpark::runningCounts,
            work, sparkMillis);
        out.println("keyed-state word count (updateStateByKey): " + batches + " micro-batches of " + rows
            + " generated words, every word's running total after each batch");
        return report(sluice, remote, sluiceNanos, sparkMillis, "rows", out);
    }

    private static boolean report(final List<Object[]> sluice, final List<Object[]> remote, final long[] sluiceNanos,
                                  final List<Long> sparkMillis, final String what, final PrintStream out) {
        final boolean same = SparkRows.sameMultiset(sluice, remote);
        out.println(same ? "results: identical (" + sluice.size() + " " + what + ")" : "results: DIFFERENT (sluice "
            + sluice.size() + " rows, spark " + remote.size() + ")");
        final long[] sparkBatches = sparkMillis.stream().mapToLong(Long::longValue).toArray();
        out.printf("per micro-batch: sluice median %.1f ms (max %.1f), spark median %d ms (max %d) over %d data batches%n",
            median(sluiceNanos) / 1e6, Arrays.stream(sluiceNanos).max().orElse(0) / 1e6, median(sparkBatches),
            Arrays.stream(sparkBatches).max().orElse(0), sparkBatches.length);
        return same;
    }

    /** Spark's run into work/out with a checkpoint, until the input is read; each data batch's time into {@code millis}. */
    private static List<Object[]> sparkRun(final SparkBackend spark, final Supplier<Source> source,
                                           final UnaryOperator<DStream> pipeline, final Path work, final List<Long> millis)
        throws TimeoutException {
        try (ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("run-on-spark").workers(2).build());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final DStream stream = pipeline.apply(graph.stream(ssc.input(source.get())));
            final StreamingQuery query = spark.writeParquetStream(stream, work.resolve("out").toString(),
                work.resolve("checkpoint").toString(), Trigger.AvailableNow());
            try {
                query.awaitTermination();
            } catch (final StreamingQueryException ex) {
                throw new IllegalStateException("spark streaming query failed", ex);
            } finally {
                query.stop();
            }
            for (final StreamingQueryProgress p : query.recentProgress()) {
                if (p.numInputRows() > 0) {
                    millis.add(p.durationMs().get("triggerExecution"));
                }
            }
        }
        return spark.readParquet(work.resolve("out").toString());
    }

    /** Sluice's run: one micro-batch per element of {@code nanos} on a manual clock; each batch's wall time into it. */
    private static List<Object[]> sluiceRun(final Supplier<Source> source, final UnaryOperator<DStream> pipeline,
                                            final long[] nanos) {
        final List<Object[]> sluice = new ArrayList<>();
        final ManualStreamClock clock = new ManualStreamClock(0);
        try (ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("run-on-spark").workers(2).build());
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(exec.allocator()).clock(clock).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final MemorySink sink = pipeline.apply(graph.stream(ssc.input(source.get()))).collectToMemory();
            ssc.start();
            for (int b = 0; b < nanos.length; b++) {
                final long start = System.nanoTime();
                clock.setMillis((b + 1) * INTERVAL);
                if (!ssc.awaitBatchCompleted((b + 1) * INTERVAL, Duration.ofMinutes(5))) {
                    throw new IllegalStateException("sluice batch " + (b + 1) + " did not complete");
                }
                nanos[b] = System.nanoTime() - start;
            }
            for (final MemorySink.BatchRows batch : sink.snapshot()) {
                sluice.addAll(batch.rows());
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        return sluice;
    }

    private static long median(final long[] values) {
        if (values.length == 0) {
            return 0;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Deletes {@code dir} and everything under it (the previous run's files, output and checkpoint). */
    static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
