package io.sluice.spark;

import static io.sluice.engine.dataset.Expr.col;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.SparkSession;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * {@code scripts/run-on-spark}: the README's word count (batch) over generated lines, run on Sluice and on Spark
 * through {@link SparkBackend}, side by side in one JVM. Prints each engine's top words, whether the two results
 * are equal, and every run's time and throughput (stderr: progress; stdout: results and table). Exit code 1 if the
 * results differ, 2 on a bad option.
 *
 * <pre>run-on-spark [--master local[2] | spark://host:port] [--lines N] [--runs N] [--workers N] [--seed N]</pre>
 *
 * <p>With {@code --streaming [--files N]} it runs the streaming form instead ({@link StreamingWordCountOnSpark}):
 * {@code --lines} lines per file, one file per micro-batch. With {@code --keyed [--files N]} it runs a keyed-state word
 * count ({@code updateStateByKey}) over a generator: N micro-batches of {@code --lines} words.
 */
public final class WordCountOnSpark {
    private static final String[] VOCABULARY = {"the", "cat", "and", "hat", "end", "sluice", "spark", "stream", "batch",
        "window", "The", "Cat", "state", "key", "value", "join", "river", "gate", "water", "flow"};

    private WordCountOnSpark() {
    }

    /** The README's word count pipeline over {@code rows} of one UTF8 column {@code line}, in 8 partitions. */
    public static Dataset readmeWordCount(final ExecutionContext ctx, final List<Object[]> rows) {
        final Schema lines = new Schema(List.of(new Field("line", ColumnType.UTF8, true)));
        return ctx.fromRows(lines, rows, 8)
            .withColumn("line", col("line").lower())
            .flatMap(Expr.split(col("line"), " "), "word")
            .groupBy("word").agg(Agg.count());
    }

    /** {@code count} lines of 1 to 12 words from a fixed vocabulary (every 50th line null), from {@code seed}. */
    public static List<Object[]> lines(final int count, final long seed) {
        final Random random = new Random(seed);
        final List<Object[]> rows = new ArrayList<>(count);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i % 50 == 49) {
                rows.add(new Object[] {null});
                continue;
            }
            sb.setLength(0);
            final int words = 1 + random.nextInt(12);
            for (int w = 0; w < words; w++) {
                sb.append(w == 0 ? "" : " ").append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            }
            rows.add(new Object[] {sb.toString()});
        }
        return rows;
    }

    public static void main(final String[] args) {
        String master = "local[2]";
        int lineCount = 200_000;
        int runs = 3;
        int workers = 2;
        long seed = 42;
        boolean streaming = false;
        boolean keyed = false;
        int files = 20;
        try {
            for (int i = 0; i < args.length; i++) {
                final String a = args[i];
                if ("--help".equals(a)) {
                    System.out.println("run-on-spark [--master local[2] | spark://host:port] [--lines N (1..50000000)]"
                        + " [--runs N (1..100)] [--workers N (1..256)] [--seed N] [--streaming [--files N (1..1000)]]"
                        + " [--keyed [--files N (micro-batches, 1..1000)] [--lines N (words per micro-batch)]]");
                    return;
                }
                if ("--streaming".equals(a) || "--keyed".equals(a)) {
                    streaming = true;
                    keyed |= "--keyed".equals(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                final String v = args[++i];
                switch (a) {
                    case "--master":
                        master = v;
                        break;
                    case "--lines":
                        lineCount = bounded(a, v, 1, 50_000_000);
                        break;
                    case "--runs":
                        runs = bounded(a, v, 1, 100);
                        break;
                    case "--workers":
                        workers = bounded(a, v, 1, 256);
                        break;
                    case "--seed":
                        seed = Long.parseLong(v);
                        break;
                    case "--files":
                        files = bounded(a, v, 1, 1000);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                }
            }
        } catch (final IllegalArgumentException ex) {
            System.err.println("run-on-spark: " + ex.getMessage());
            System.exit(2);
            return;
        }
        if (streaming) {
            System.exit(runStreaming(master, keyed, files, lineCount == 200_000 ? 2_000 : lineCount, seed) ? 0 : 1);
        }
        System.exit(run(master, lineCount, runs, workers, seed, System.out, System.err) ? 0 : 1);
    }

    private static boolean runStreaming(final String master, final boolean keyed, final int files, final int lines,
                                        final long seed) {
        final Path work = Path.of("spark", "target", "run-on-spark-streaming").toAbsolutePath();
        StreamingWordCountOnSpark.deleteTree(work);
        final SparkSession session = session(master, 2);
        try {
            session.sparkContext().setLogLevel("WARN");
            return keyed ? StreamingWordCountOnSpark.runKeyed(session, work, files, lines, seed, System.out, System.err)
                : StreamingWordCountOnSpark.run(session, work, files, lines, seed, System.out, System.err);
        } catch (final java.io.IOException | java.util.concurrent.TimeoutException ex) {
            throw new IllegalStateException("streaming word count failed", ex);
        } finally {
            session.stop();
        }
    }

    /** A Spark session on {@code master}, bound to loopback, no UI, its directories under spark/target. */
    private static SparkSession session(final String master, final int workers) {
        final Path target = Path.of("spark", "target").toAbsolutePath();
        return SparkSession.builder().appName("sluice-run-on-spark").master(master)
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, workers)))
            .config("spark.local.dir", target.resolve("spark-local").toString())
            .config("spark.sql.warehouse.dir", target.resolve("spark-warehouse").toString())
            .getOrCreate();
    }

    private static int bounded(final String option, final String value, final int min, final int max) {
        final int n;
        try {
            n = Integer.parseInt(value);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException(option + "=" + value + " is not an integer in [" + min + ", " + max + "]", ex);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
        return n;
    }

    /** Runs the comparison; returns whether both engines gave the same rows. */
    static boolean run(final String master, final int lineCount, final int runs, final int workers, final long seed,
                       final PrintStream out, final PrintStream progress) {
        final List<Object[]> rows = lines(lineCount, seed);
        final long[] sluiceNanos = new long[runs];
        final long[] sparkNanos = new long[runs];
        List<Object[]> sluiceRows = null;
        List<Object[]> sparkRows = null;
        final SchedulerConfig config = SchedulerConfig.builder().name("run-on-spark").workers(workers)
            .policy(SchedulingPolicy.WORK_STEALING).build();
        final SparkSession session = session(master, workers);
        try (ExecutionContext ctx = ExecutionContext.create(config)) {
            session.sparkContext().setLogLevel("WARN");
            final SparkBackend spark = SparkBackend.on(session);
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                // Each run builds the dataset again, as a user program would: the in-memory source is part of the job.
                final Dataset counts = readmeWordCount(ctx, rows);
                sluiceRows = counts.collect();
                sluiceNanos[r] = System.nanoTime() - start;
                progress.printf("sluice run %d/%d: %.1f ms%n", r + 1, runs, sluiceNanos[r] / 1e6);
                start = System.nanoTime();
                sparkRows = spark.run(readmeWordCount(ctx, rows));
                sparkNanos[r] = System.nanoTime() - start;
                progress.printf("spark  run %d/%d: %.1f ms%n", r + 1, runs, sparkNanos[r] / 1e6);
            }
        } finally {
            session.stop();
        }
        out.println("word count of " + lineCount + " lines (README example), " + runs + " runs each");
        out.println("sluice (" + workers + " workers) top words: " + top(sluiceRows));
        out.println("spark  (" + master + ") top words: " + top(sparkRows));
        final boolean same = SparkRows.sameMultiset(sluiceRows, sparkRows);
        out.println(same ? "results: identical (" + sluiceRows.size() + " words)" : "results: DIFFERENT");
        out.println("engine  run  ms        lines/s");
        for (int r = 0; r < runs; r++) {
            out.printf("sluice  %3d  %8.1f  %,.0f%n", r + 1, sluiceNanos[r] / 1e6, lineCount / (sluiceNanos[r] / 1e9));
            out.printf("spark   %3d  %8.1f  %,.0f%n", r + 1, sparkNanos[r] / 1e6, lineCount / (sparkNanos[r] / 1e9));
        }
        out.printf("median  sluice %.1f ms, spark %.1f ms (spark / sluice = %.1fx)%n", median(sluiceNanos) / 1e6,
            median(sparkNanos) / 1e6, (double) median(sparkNanos) / median(sluiceNanos));
        return same;
    }

    private static String top(final List<Object[]> rows) {
        final List<Object[]> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.<Object[]>comparingLong(r -> -(Long) r[1]).thenComparing(r -> String.valueOf(r[0])));
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(5, sorted.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(sorted.get(i)[0]).append('=').append(sorted.get(i)[1]);
        }
        return sb.toString();
    }

    private static long median(final long[] values) {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
