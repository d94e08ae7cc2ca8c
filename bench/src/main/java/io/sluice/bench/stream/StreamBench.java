package io.sluice.bench.stream;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import io.sluice.bench.dataset.TextRecords;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.stream.HandOff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/stream-bench}: the streaming benchmarks (end-to-end latency, sustained throughput, straggler
 * experiment), a progress line per run on stderr, and a report folder {@code <out>/YYYY-MM-DD-streaming[-quick][-N]}
 * (README.md, CSV files, SVG + PNG plots). Exit codes: 0 done, 1 a run failed, 2 bad command line.
 */
@Command(name = "stream-bench", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Measures Sluice streaming: end-to-end latency at 1/10/100 ms batches, sustained word count and grep "
        + "throughput against plain Java, and the D-Streams straggler experiment; writes a report folder.", ""})
public final class StreamBench implements Callable<Integer> {
    /** System property the script sets to the command line as typed, for the report. */
    public static final String COMMAND_PROPERTY = "sluice.bench.command";

    /** The parts of the benchmark. */
    public enum Section { LATENCY, THROUGHPUT, STRAGGLER }

    private static final long WARMUP_INTERVAL_MILLIS = 5;
    private static final double WARMUP_RATE = 200e3;

    @Option(names = "--quick", description = "Short runs (about 2 minutes): checks that everything runs; not a measurement.")
    private boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
        description = "Run only these sections: ${COMPLETION-CANDIDATES} (comma separated; default: all).")
    private Set<Section> only = EnumSet.allOf(Section.class);

    @Option(names = "--handoff", split = ",", paramLabel = "KIND",
        description = "Latency section: the generator-to-job-thread hand-offs to compare, point by point: "
            + "${COMPLETION-CANDIDATES} (comma separated; default: SPIN_THEN_PARK; BLOCKING_QUEUE is the earlier one).")
    private List<HandOff> handOffs = List.of(HandOff.SPIN_THEN_PARK);

    private List<Long> threadSlicesNanos = List.of(0L);

    @Option(names = "--thread-slice", split = ",", paramLabel = "US",
        description = "Latency section: the scheduler slices (microseconds: 0 = the kernel's default, else 100..100000) the "
            + "stream's generator and job threads ask for (Linux 6.12+), compared point by point with each hand-off "
            + "(comma separated; default: 0).")
    void threadSlices(final List<Long> micros) {
        final List<Long> nanos = new ArrayList<>();
        for (final long value : micros) {
            try {
                nanos.add(LatencyThreads.checkSliceOrZero(Math.multiplyExact(value, 1000L), "--thread-slice"));
            } catch (final IllegalArgumentException | ArithmeticException ex) {
                throw new ParameterException(spec.commandLine(), "--thread-slice: " + value + " us must be 0 or in [100, 100000]");
            }
        }
        threadSlicesNanos = nanos;
    }

    @Option(names = "--caller-waits",
        description = "Latency section: also run the Dataset job with the scheduler's caller-runs off, point by point "
            + "(job dataset-caller-waits): the before/after of caller-runs in one run.")
    private boolean callerWaits;

    @Option(names = "--caller-first",
        description = "Latency section: also run the Dataset job with the job thread running each stage alone for its first "
            + "300 us before waking the workers, point by point (job dataset-caller-first).")
    private boolean callerFirst;

    @Option(names = "--intervals", split = ",", paramLabel = "MS",
        description = "Latency section: batch intervals in ms (comma separated; default: 1,10,100).")
    private List<Long> intervals;

    private List<Double> rates;

    @Option(names = "--rates", split = ",", paramLabel = "PER_S",
        description = "Latency section: input rates in records/s, stepped through in the order given (comma separated, "
            + "e.g. 1e6,2e6; default: the plan's steps from 10,000 to 6,000,000).")
    void rates(final List<Double> values) {
        for (final double rate : values) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new ParameterException(spec.commandLine(), "--rates: rate=" + rate + " must be a finite number > 0");
            }
        }
        rates = List.copyOf(values);
    }

    private int stragglerTasksPerWorker = StragglerBench.DEFAULT_TASKS_PER_WORKER;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report folder goes (default: ${DEFAULT-VALUE}).")
    private Path out = Path.of("perf-reports");

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--straggler-tasks-per-worker", paramLabel = "N",
        description = "Tasks per worker in each straggler-experiment batch (1..64, default: 4); smaller tasks leave less "
            + "of a slow worker's work to wait for.")
    void stragglerTasksPerWorker(final int n) {
        if (n < 1 || n > StragglerBench.MAX_TASKS_PER_WORKER) {
            throw new ParameterException(spec.commandLine(), "--straggler-tasks-per-worker=" + n + " must be in [1, "
                + StragglerBench.MAX_TASKS_PER_WORKER + "]");
        }
        stragglerTasksPerWorker = n;
    }

    int stragglerTasksPerWorker() {
        return stragglerTasksPerWorker;
    }

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    private final String command;

    StreamBench(final PrintWriter stdout, final PrintWriter stderr, final String command) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Parses, runs, writes the report; returns the exit code. */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err) {
        final String command = System.getProperty(COMMAND_PROPERTY,
            "scripts/stream-bench" + (args.length == 0 ? "" : " " + String.join(" ", args)));
        return new CommandLine(new StreamBench(out, err, command)).setOut(out).setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        final StreamBenchPlan base = quick ? StreamBenchPlan.quickPlan() : StreamBenchPlan.fullPlan();
        final StreamBenchPlan plan = base.withStraggler(base.straggler().withTasksPerWorker(stragglerTasksPerWorker));
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final RunLoad load = RunLoad.start();
        final long start = System.nanoTime();
        final TextRecords text = new TextRecords(StreamBenchPlan.TEXT_SEED);
        final String[] lines = text.records(0, StreamBenchPlan.TEXT_LINES);
        // A whole word with its spaces, so "the" does not also match "there".
        final String needle = " " + text.word(StreamBenchPlan.GREP_RANK) + " ";
        final StreamResults results = new StreamResults();
        if (only.contains(Section.LATENCY)) {
            latency(plan, results);
        }
        if (only.contains(Section.THROUGHPUT)) {
            throughput(plan, lines, needle, results);
        }
        if (only.contains(Section.STRAGGLER)) {
            straggler(plan, lines, needle, results);
        }
        final double minutes = (System.nanoTime() - start) / 60e9;
        final ReportFolder folder = ReportFolder.create(out, quick ? "streaming-quick" : "streaming");
        StreamReport.write(folder, new StreamReport.Context(command, machine, plan, only, minutes, load.stop(),
            needle), results);
        stdout.printf(Locale.ROOT, "stream-bench: done in %.1f min; report: %s%n", minutes, folder.path());
        stdout.flush();
        return 0;
    }

    private void latency(final StreamBenchPlan plan, final StreamResults results) throws InterruptedException {
        // Unrecorded: compiles the stream and Dataset paths, so the first measured point does not start with a JIT
        // backlog (at 1 ms batches the first second of a cold JVM queues hundreds of batches).
        final LatencyPoint warm = LatencyBench.run(LatencyBench.Job.DATASET, WARMUP_INTERVAL_MILLIS, WARMUP_RATE,
            plan.latencyWarmup(), plan.latencyWarmup().multipliedBy(2));
        stderr.printf(Locale.ROOT, "latency JVM warm-up (not reported): %d batches at %d ms, %s%n", warm.batches(),
            WARMUP_INTERVAL_MILLIS, warm.verdict());
        final List<Long> measured = intervals == null ? plan.intervalsMillis() : intervals;
        for (final long interval : measured) {
            latencySeries(plan, datasetJobs(), interval, results);
        }
        // The stream alone at the hardest interval: separates the stream's own cost from the Dataset job's.
        latencySeries(plan, List.of(LatencyBench.Job.NONE), measured.get(0), results);
    }

    /**
     * Steps the rate up; at each rate every job and hand-off runs in turn (same load). A (job, hand-off) series ends
     * after two unsustainable points in a row (one can be a stall of the machine), or at the last rate.
     */
    private void latencySeries(final StreamBenchPlan plan, final List<LatencyBench.Job> jobs, final long interval,
                               final StreamResults results) throws InterruptedException {
        final Set<String> done = new HashSet<>();
        final Set<String> failedOnce = new HashSet<>();
        for (final double rate : latencyRates(plan)) {
            for (final LatencyBench.Job job : jobs) {
                for (final long[] variant : variants()) {
                    final HandOff handOff = handOffs.get((int) variant[0]);
                    final String series = job + "/" + handOff + "/" + variant[1];
                    if (done.contains(series)) {
                        continue;
                    }
                    final LatencyPoint point = LatencyBench.run(job, handOff, variant[1], interval, rate, plan.latencyWarmup(),
                        plan.latencyMeasure());
                    results.latency.add(point);
                    final LatencyPercentiles l = point.latency();
                    stderr.printf(Locale.ROOT, "latency job=%s handoff=%s interval=%dms rate=%,.0f/s: p50=%.3f p99=%.3f p999=%.3f "
                            + "max=%.3f ms, batch processing p50=%.3f ms, stream alloc %.0f B/batch %.1f B/record, %s%n", job.label(),
                        point.handOffLabel(), interval, rate, l.p50Nanos() / 1e6, l.p99Nanos() / 1e6, l.p999Nanos() / 1e6,
                        l.maxNanos() / 1e6, point.processingP50Nanos() / 1e6, point.allocation().streamPerBatch(),
                        point.allocation().streamPerRecord(), point.verdict());
                    if (point.verdict().sustainable()) {
                        failedOnce.remove(series);
                    } else if (!failedOnce.add(series)) {
                        done.add(series);
                    }
                }
            }
            if (done.size() == jobs.size() * variants().size()) {
                return;
            }
        }
    }

    private void throughput(final StreamBenchPlan plan, final String[] lines, final String needle,
                            final StreamResults results) throws InterruptedException {
        final ThroughputBench bench = new ThroughputBench(lines, needle);
        for (final TextJob job : TextJob.values()) {
            for (final JavaBaseline.Mode mode : JavaBaseline.Mode.values()) {
                final JavaBaseline.Result result = JavaBaseline.measure(job, mode, lines, needle, plan.baselineWarmup(),
                    plan.baselineMeasure());
                results.baselines.add(new StreamResults.JavaBaselineRow(job, result));
                stderr.printf(Locale.ROOT, "baseline job=%s %s: %,.0f records/s%n", job.label(), mode.label(),
                    result.recordsPerSecond());
            }
            final double max = bench.search(job, plan.throughputInterval(), plan.throughputStart(), plan.throughputStep(),
                plan.throughputMax(), plan.throughputWarmup(), plan.throughputMeasure(), point -> stderr.printf(Locale.ROOT,
                    "throughput job=%s interval=%dms rate=%,.0f/s: offered %,.0f/s, batch processing p50=%.1f ms, %s%n",
                    point.job(), point.intervalMillis(), point.targetRate(), point.stats().offeredRate(),
                    point.stats().processingQuantileNanos(0.5) / 1e6, point.stats().verdict()));
            results.maxSustainable.put(job, max);
            stderr.printf(Locale.ROOT, "throughput job=%s: max sustainable %,.0f records/s%n", job.label(), max);
        }
        results.throughput.addAll(bench.points());
    }

    private void straggler(final StreamBenchPlan plan, final String[] lines, final String needle,
                           final StreamResults results) throws InterruptedException {
        final StragglerBench.Settings settings = plan.straggler();
        final StreamRun.Settings timing = new StreamRun.Settings(settings.intervalMillis(), settings.rate(),
            plan.stragglerWarmup(), plan.stragglerMeasure());
        for (final TextJob job : TextJob.values()) {
            for (final StragglerConfig config : StragglerConfig.values()) {
                final RunStats stats = StragglerBench.run(job, config, settings, lines, needle, timing);
                final StragglerRow row = new StragglerRow(job, config, stats);
                results.straggler.add(row);
                stderr.printf(Locale.ROOT, "straggler job=%s %s: batch processing median=%.1f ms (min %.1f, max %.1f) over %d "
                    + "batches%n", job.label(), config.label(), row.medianMillis(), row.minMillis(), row.maxMillis(),
                    stats.batches());
            }
        }
    }

    /** The sections requested. */
    Set<Section> sections() {
        return EnumSet.copyOf(only);
    }

    boolean quick() {
        return quick;
    }

    /**
     * The latency section's variants in run order: {index into the hand-offs, thread slice in ns}, each hand-off with
     * each slice, slices alternating within a hand-off.
     */
    List<long[]> variants() {
        final List<long[]> variants = new ArrayList<>();
        for (int h = 0; h < handOffs.size(); h++) {
            for (final long nanos : threadSlicesNanos) {
                variants.add(new long[] {h, nanos});
            }
        }
        return variants;
    }

    /** The hand-offs the latency section compares. */
    List<HandOff> handOffs() {
        return List.copyOf(handOffs);
    }

    /** The latency section's intervals, or null for the plan's. */
    List<Long> intervals() {
        return intervals == null ? null : List.copyOf(intervals);
    }

    /** The latency section's rates: {@code --rates}, else the plan's. */
    List<Double> latencyRates(final StreamBenchPlan plan) {
        return rates == null ? plan.latencyRates() : rates;
    }

    /** The Dataset jobs of the latency section: {@code dataset}, then those {@code --caller-waits}/{@code --caller-first} add. */
    List<LatencyBench.Job> datasetJobs() {
        final List<LatencyBench.Job> jobs = new ArrayList<>(List.of(LatencyBench.Job.DATASET));
        if (callerWaits) {
            jobs.add(LatencyBench.Job.DATASET_CALLER_WAITS);
        }
        if (callerFirst) {
            jobs.add(LatencyBench.Job.DATASET_CALLER_FIRST);
        }
        return jobs;
    }
}
