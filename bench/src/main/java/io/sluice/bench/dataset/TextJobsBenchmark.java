package io.sluice.bench.dataset;

import static io.sluice.engine.dataset.Expr.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.bench.Baseline;
import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Word count and grep over {@link #RECORDS} generated 100-byte text records ({@link TextRecords}, seed 42): a Sluice
 * {@link ExecutionContext} (work stealing, {@link #WORKERS} workers, {@link #PARTITIONS} in-memory partitions of
 * off-heap UTF8 columns) against the same job as a plain Java {@code parallelStream} over a {@code String[]} on a
 * common pool of the same parallelism, in the same run. Setup checks that both give identical answers. Score:
 * ms per job; records/s = {@link #RECORDS} / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dsluice.memory.boundsChecks=false", "-Dagrona.disable.bounds.checks=true", "-Xmx2g",
    "-XX:MaxDirectMemorySize=1g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"})
public class TextJobsBenchmark {
    /** Records per job. */
    public static final int RECORDS = 200_000;
    /** Sluice partitions of the input. */
    public static final int PARTITIONS = 16;
    /** Sluice workers, and the parallelism of the parallelStream's common pool. */
    public static final int WORKERS = 2;
    /** Zipf rank of the word grep looks for: frequent enough to match some records, rare enough to filter most. */
    public static final int GREP_RANK = 40;

    private static final Schema LINES = Schema.of(Field.notNull("line", ColumnType.UTF8));
    private static final Pattern SPACE = Pattern.compile(" ");

    private String[] records;
    private String needle;
    private ExecutionContext ctx;
    private Dataset input;

    @Setup(Level.Trial)
    public void setUp() {
        final TextRecords text = new TextRecords(42);
        records = text.records(0, RECORDS);
        // A whole word with its spaces, so "the" does not also match "there".
        needle = " " + text.word(GREP_RANK) + " ";
        if (ForkJoinPool.getCommonPoolParallelism() != WORKERS) {
            throw new IllegalStateException("common pool parallelism=" + ForkJoinPool.getCommonPoolParallelism()
                + " expected=" + WORKERS + " (set -Djava.util.concurrent.ForkJoinPool.common.parallelism)");
        }
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-dataset", SchedulingPolicy.WORK_STEALING, WORKERS).build());
        final List<Batch> batches = new ArrayList<>(PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            final int from = (int) ((long) RECORDS * p / PARTITIONS);
            final int to = (int) ((long) RECORDS * (p + 1) / PARTITIONS);
            try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), LINES, to - from)) {
                builder.appendUtf8Column(0, Arrays.copyOfRange(records, from, to));
                batches.add(builder.build());
            }
        }
        input = ctx.fromBatches(LINES, batches);
        final Map<String, Long> sluice = wordCountSluice();
        final Map<String, Long> java = wordCountParallelStream();
        if (!sluice.equals(java)) {
            throw new IllegalStateException("word counts differ: sluice groups=" + sluice.size() + " java groups="
                + java.size());
        }
        if (grepSluice() != grepParallelStream() || grepSluice() == 0) {
            throw new IllegalStateException("grep '" + needle + "' differs or matches nothing: sluice=" + grepSluice()
                + " java=" + grepParallelStream());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    /** Lines to words, group by word, count; collected to a map. */
    @Benchmark
    public Map<String, Long> wordCountSluice() {
        final List<Object[]> rows = input.flatMap(Expr.split(col("line"), " "), "word")
            .groupBy("word").agg(Agg.count())
            .collect();
        final Map<String, Long> out = new HashMap<>(rows.size() * 2);
        for (final Object[] row : rows) {
            out.put((String) row[0], (Long) row[1]);
        }
        return out;
    }

    @Benchmark
    @Baseline
    public Map<String, Long> wordCountParallelStream() {
        return Arrays.stream(records).parallel()
            .flatMap(SPACE::splitAsStream)
            .filter(w -> !w.isEmpty())
            .collect(Collectors.groupingByConcurrent(Function.identity(), Collectors.counting()));
    }

    /** Records containing the needle, counted. */
    @Benchmark
    public long grepSluice() {
        return input.filter(col("line").contains(needle)).count();
    }

    @Benchmark
    @Baseline
    public long grepParallelStream() {
        return Arrays.stream(records).parallel().filter(line -> line.contains(needle)).count();
    }
}
