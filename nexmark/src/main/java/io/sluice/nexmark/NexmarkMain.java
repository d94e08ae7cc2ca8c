package io.sluice.nexmark;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.sluice.bench.report.RunLoad;
import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;
import io.sluice.nexmark.flink.FlinkRunner;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.knowm.xchart.CategoryChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/nexmark}: every chosen query on every chosen engine in one process, the same events for each,
 * warm-up runs of each pair first until the JIT compilers are nearly idle, then the measured run; checks that both
 * engines' outputs have the same digest; prints a table and writes a report folder (README, CSV, plot).
 */
@Command(name = "nexmark", mixinStandardHelpOptions = true,
    description = "Runs Nexmark queries on Sluice and on Apache Flink in the same run and compares them.")
public final class NexmarkMain implements Callable<Integer> {
    @Option(names = "--events", description = "events per query (default ${DEFAULT-VALUE})")
    long events = 10_000_000;

    @Option(names = "--queries", split = ",", description = "queries (default: all): q0,q1,q2,q3,q4,q5,q7,q8,q11,q12")
    List<String> queries = new ArrayList<>(List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11", "q12"));

    @Option(names = "--engines", split = ",", description = "engines (default ${DEFAULT-VALUE}): sluice, sluice-sql"
        + " (the query's SQL form through SqlSession, for the queries that have one), flink, and generator (the events"
        + " alone, no engine: the share of a query's CPU time that generating takes)")
    List<String> engines = new ArrayList<>(List.of("sluice", "sluice-sql", "flink", "generator"));

    @Option(names = "--workers", description = "Sluice workers and Flink parallelism (default ${DEFAULT-VALUE})")
    int workers = 2;

    @Option(names = "--events-per-batch", description = "event ids per Sluice micro-batch (default ${DEFAULT-VALUE})")
    long eventsPerBatch = 200_000;

    @Option(names = "--warmup-events", description = "events of each unmeasured warm-up run per query and engine"
        + " (default ${DEFAULT-VALUE})")
    long warmupEvents = 5_000_000;

    @Option(names = "--warmup-runs", description = "most warm-up runs per query and engine (default ${DEFAULT-VALUE});"
        + " they stop at the first whose JIT compiler threads' CPU time is under --jit-settled of its process CPU time")
    int warmupRuns = 8;

    @Option(names = "--jit-settled", description = "JIT compiler CPU time over process CPU time of a warm-up run below"
        + " which the JVM counts as warm (default ${DEFAULT-VALUE})")
    double jitSettled = 0.02;

    @Option(names = "--out", description = "report root (default ${DEFAULT-VALUE})")
    Path out = Path.of("perf-reports");

    @Option(names = "--command", hidden = true, description = "the command line, for the report")
    String command = "scripts/nexmark";

    public static void main(final String[] args) {
        System.exit(new CommandLine(new NexmarkMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (events <= 0 || warmupEvents < 0 || workers <= 0 || warmupRuns < 1 || !(jitSettled >= 0 && jitSettled < 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--events, --workers and --warmup-runs must be"
                + " > 0, --warmup-events >= 0, --jit-settled in [0, 1): events=" + events + " workers=" + workers
                + " warmup-events=" + warmupEvents + " warmup-runs=" + warmupRuns + " jit-settled=" + jitSettled);
        }
        final List<NexmarkQuery> chosen = queries.stream().map(NexmarkQuery::parse).toList();
        final RunLoad load = RunLoad.start();
        final List<Measured> results = new ArrayList<>();
        int step = 0;
        final int steps = chosen.size() * engines.size();
        for (final NexmarkQuery query : chosen) {
            for (final String engine : engines) {
                step++;
                if (engine.equals("sluice-sql") && query.sql() == null) {
                    continue;
                }
                final int warmups = warmUp(engine, query);
                final Measured measured = timedRun(engine, query, NexmarkConfig.defaults(events), warmups);
                results.add(measured);
                final RunResult result = measured.run();
                System.err.printf(Locale.ROOT, "[%d/%d] %s %-6s %,12.0f events/s  %,12.0f events/cpu-s  %s  (GC: %d, %d ms;"
                    + " JIT: %d ms after %d warm-ups)%n", step, steps, query.label(), engine, result.eventsPerSecond(),
                    result.eventsPerCpuSecond(), result.digest(), measured.gcCount(), measured.gcMillis(),
                    measured.jitMillis(), warmups);
            }
        }
        final RunLoad.Measured measured = load.stop();
        final Report report = new Report(results);
        System.out.println(report.table());
        writeReport(report, measured);
        return report.allMatch() ? 0 : 1;
    }

    /**
     * Starts every run (warm-up and measured, on every engine) on a collected heap, so a measured run does not pay for
     * the young collections of the garbage its warm-up, or the engine before it, left behind (JFR showed q12's
     * measured Sluice run holding one or two G1 young pauses depending on where the warm-up left the young
     * generation). The collections a run's own allocations cause stay in its CPU time.
     */
    private static void settleHeap() {
        System.gc();
    }

    /**
     * Unmeasured runs of {@code query} on {@code engine} until one spends less than {@link #jitSettled} of its process
     * CPU time compiling (the JIT has compiled what the query runs), at most {@link #warmupRuns}; returns how many ran.
     * One fixed-size warm-up was not enough: after 5M events Sluice's q12 still spent about a third of its measured
     * CPU time in the JIT compilers (a 30M-event warm-up took it from 4.6 to 3.1 CPU-s for 20M events).
     */
    private int warmUp(final String engine, final NexmarkQuery query) throws Exception {
        if (warmupEvents == 0) {
            return 0;
        }
        int runs = 0;
        while (runs < warmupRuns) {
            final Measured warmup = timedRun(engine, query, NexmarkConfig.defaults(warmupEvents), runs);
            runs++;
            final double share = warmup.jitNanos() / (double) Math.max(1, warmup.run().cpuNanos());
            System.err.printf(Locale.ROOT, "  warm-up %d of %s %s: %.2f CPU-s, %.1f%% of it compiling%n", runs,
                query.label(), engine, warmup.run().cpuNanos() / 1e9, 100 * share);
            if (share < jitSettled) {
                break;
            }
        }
        return runs;
    }

    /** One run on a collected heap, with the JIT work ({@link JitCpu}) and the collections it saw. */
    private Measured timedRun(final String engine, final NexmarkQuery query, final NexmarkConfig config, final int warmups)
        throws Exception {
        settleHeap();
        final long[] gcBefore = gcCountAndMillis();
        final long jitBefore = JitCpu.nanos();
        final RunResult result = run(engine, query, config);
        final long jit = JitCpu.nanos() - jitBefore;
        final long[] gcAfter = gcCountAndMillis();
        return new Measured(result, warmups, jit, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
    }

    /** A run, the warm-up runs before it, and the JIT work ({@link JitCpu}) and collections during it. */
    record Measured(RunResult run, int warmups, long jitNanos, long gcCount, long gcMillis) {
        long jitMillis() {
            return jitNanos / 1_000_000L;
        }

        /** Input events per CPU-second of the process minus its JIT compiler threads (see {@link JitCpu}). */
        double eventsPerNonJitCpuSecond() {
            return run.events() * 1e9 / Math.max(1, run.cpuNanos() - jitNanos);
        }
    }

    /** The collections so far and their total time in ms, over all of the JVM's collectors. */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private RunResult run(final String engine, final NexmarkQuery query, final NexmarkConfig config) throws Exception {
        return switch (engine) {
            case "sluice" -> new SluiceRunner(workers, eventsPerBatch).run(query, config, false);
            case "sluice-sql" -> new SluiceRunner(workers, eventsPerBatch, true).run(query, config, false);
            case "flink" -> new FlinkRunner(workers, Path.of("nexmark", "target", "flink-tmp")).run(query, config, false);
            case "generator" -> GeneratorRunner.run(query, config);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                "unknown engine '" + engine + "': expected sluice, sluice-sql, flink or generator");
        };
    }

    private void writeReport(final Report report, final RunLoad.Measured load) throws IOException {
        final ReportFolder folder = ReportFolder.create(out, "nexmark");
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final StringBuilder md = new StringBuilder();
        md.append("# Nexmark: Sluice and Apache Flink in the same run\n\n")
            .append("Command: `").append(command).append("`\n\n")
            .append(machine.toMarkdown()).append(load.toMarkdown()).append('\n')
            .append(String.format(Locale.ROOT, "Each query ran on %,d events (Beam's generator semantics, default"
                + " configuration) per engine, %s Sluice: %d work-stealing workers, micro-batches of %,d event ids"
                + " on a manual stream clock advanced as soon as the batch before last completed. Flink %s: local"
                + " environment, parallelism %d, object reuse on, DataGeneratorSource over the same generator (one reader"
                + " in id order for the event-time queries q5, q7, q8 and q11, so the watermark does not lag half the"
                + " stream; a reader per subtask otherwise). Events per CPU-second divide the input"
                + " events by the whole process's CPU time during the run (all threads, JIT and GC included; every run, warm-up"
                + " or measured, starts after a System.gc() so none pays for the garbage of the run before it), as"
                + " nexmark-flink reports per-core throughput. The generator row generates the query's events into"
                + " off-heap batches on one thread with no engine; 'generating share of CPU' is its CPU time over the"
                + " engine's for the same events, the part of each engine's cost that is the shared generator (the least CPU"
                + " time of the generator runs over the same event kinds); the last two"
                + " columns take it out (input events over the engine's CPU time minus the generator's): what the query"
                + " itself costs each engine (Flink's source also builds a POJO per event: that stays in Flink's own part)."
                + " sluice-sql runs the query's SQL text through SqlSession, once per micro-batch. q3 and q4 are unbounded"
                + " joins over keyed state; q4's output is a table updated every batch, compared as it stands at the end."
                + " q12 windows by processing time (Sluice: the manual stream clock, 100 ms a batch; Flink: the wall"
                + " clock), so its digest is of the per-bidder totals over all windows, not of the windows.%n%n",
                events, warmupText(), workers, eventsPerBatch,
                flinkVersion(), workers))
            .append(report.table()).append('\n');
        folder.write("README.md", md.toString());
        folder.write("results.csv", report.csv());
        Plots.save(report.chart(), folder, "events-per-cpu-second");
        System.err.println("report: " + folder.path());
    }

    /** How the runs were warmed up, for the report (a sentence ending in a full stop). */
    private String warmupText() {
        if (warmupEvents == 0) {
            return "with no warm-up run.";
        }
        final String jit = JitCpu.isCpuTime() ? "CPU time of the JIT compiler threads (from /proc)"
            : "the JVM's compilation time (CompilationMXBean: elapsed, not CPU, time)";
        return String.format(Locale.ROOT, "after unmeasured warm-up runs of %,d events of the same query on the same"
            + " engine, repeated until the %s was under %.1f%% of a run's process CPU time, at most %d runs; the last three"
            + " columns give the count, the measured run's own JIT time, and the Sluice/Flink ratio with that JIT time"
            + " taken out of each engine's CPU time (an engine that starts a job compiles its code again).", warmupEvents,
            jit, 100 * jitSettled, warmupRuns);
    }

    private static String flinkVersion() {
        final String version = EnvironmentInformation.getVersion();
        return version == null ? "(unknown version)" : version;
    }

    /** The table, CSV and plot of one run's results. */
    static final class Report {
        private final List<Measured> measured;
        private final List<RunResult> results;

        Report(final List<Measured> measured) {
            this.measured = measured;
            this.results = measured.stream().map(Measured::run).toList();
        }

        String table() {
            final MarkdownTable table = MarkdownTable.withHeader("query", "engine", "events/s", "CPU-s", "events/CPU-s",
                "p99 batch ms", "output rows", "Sluice/Flink events/s", "Sluice/Flink per CPU-s", "digest equal",
                "generating share of CPU", "events/CPU-s without generating", "Sluice/Flink without generating",
                "warm-up runs", "JIT ms in run", "Sluice/Flink per CPU-s without JIT")
                .rightAligned(2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15);
            for (final Measured m : measured) {
                final RunResult r = m.run();
                final RunResult flink = peer(r, "flink");
                final RunResult generator = leastGenerating(r);
                final boolean sluice = r.engine().startsWith("sluice");
                final boolean engine = !r.engine().equals("generator");
                final double without = engine ? withoutGenerating(r, generator) : Double.NaN;
                final double flinkWithout = flink == null ? Double.NaN : withoutGenerating(flink, generator);
                final Measured flinkMeasured = flink == null ? null : measuredOf(flink);
                table.row(r.query().label(), r.engine(), MarkdownTable.formatNumber(r.eventsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", r.cpuNanos() / 1e9), MarkdownTable.formatNumber(r.eventsPerCpuSecond()),
                    r.p99BatchNanos() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.p99BatchNanos() / 1e6),
                    r.digest().rows(),
                    sluice && flink != null ? ratio(r.eventsPerSecond() / flink.eventsPerSecond()) : "",
                    sluice && flink != null ? ratio(r.eventsPerCpuSecond() / flink.eventsPerCpuSecond()) : "",
                    flink == null || !sluice ? "" : equal(r, flink) ? "yes" : "NO",
                    generator == null || !engine ? "" : String.format(Locale.ROOT, "%.0f%%", 100.0 * generator.cpuNanos()
                        / Math.max(1, r.cpuNanos())),
                    Double.isNaN(without) ? "" : MarkdownTable.formatNumber(without),
                    sluice && !Double.isNaN(without) && !Double.isNaN(flinkWithout) ? ratio(without / flinkWithout) : "",
                    m.warmups(), m.jitMillis(),
                    sluice && flinkMeasured != null ? ratio(m.eventsPerNonJitCpuSecond() / flinkMeasured.eventsPerNonJitCpuSecond()) : "");
            }
            return table.render();
        }

        private Measured measuredOf(final RunResult r) {
            return measured.stream().filter(m -> m.run() == r).findFirst().orElseThrow();
        }

        /**
         * Input events per CPU-second of what the engine spent beyond generating the events (its CPU time minus the
         * generator run's); NaN without a generator run or when generating took as long as the whole run (noise).
         */
        private static double withoutGenerating(final RunResult r, final RunResult generator) {
            if (generator == null || r.cpuNanos() <= generator.cpuNanos()) {
                return Double.NaN;
            }
            return r.events() * 1e9 / (r.cpuNanos() - generator.cpuNanos());
        }

        boolean allMatch() {
            return results.stream().filter(r -> r.engine().startsWith("sluice"))
                .allMatch(r -> peer(r, "flink") == null || equal(r, peer(r, "flink")));
        }

        String csv() {
            final CsvWriter csv = new CsvWriter("query", "engine", "events", "wall_ns", "cpu_ns", "events_per_s",
                "events_per_cpu_s", "p99_batch_ns", "output_rows", "digest", "warmup_runs", "jit_ms");
            for (final Measured m : measured) {
                final RunResult r = m.run();
                csv.row(r.query().label(), r.engine(), r.events(), r.wallNanos(), r.cpuNanos(), r.eventsPerSecond(),
                    r.eventsPerCpuSecond(), r.p99BatchNanos(), r.digest().rows(), Long.toHexString(r.digest().sum()),
                    m.warmups(), m.jitMillis());
            }
            return csv.toString();
        }

        CategoryChart chart() {
            final List<String> categories = results.stream().map(r -> r.query().label()).distinct().toList();
            final Map<String, List<Double>> series = new LinkedHashMap<>();
            for (final RunResult r : results) {
                series.computeIfAbsent(r.engine(), e -> new ArrayList<>()).add(r.eventsPerCpuSecond());
            }
            series.values().removeIf(values -> values.size() != categories.size());
            return Plots.groupedBars("Nexmark: input events per CPU-second (higher is better)", "query", "events / CPU-s",
                categories, series);
        }

        /**
         * The generator run of the same event kinds that took the least CPU time (generating the bids of q0 is the same
         * work as for q1, q2, ...; the least of those runs is the one least disturbed by the rest of the machine).
         */
        private RunResult leastGenerating(final RunResult r) {
            return results.stream()
                .filter(o -> o.engine().equals("generator") && o.query().inputs().equals(r.query().inputs()))
                .min(Comparator.comparingLong(RunResult::cpuNanos)).orElse(null);
        }

        private RunResult peer(final RunResult r, final String engine) {
            return results.stream().filter(o -> o.query() == r.query() && o.engine().equals(engine)).findFirst().orElse(null);
        }

        private static boolean equal(final RunResult a, final RunResult b) {
            return a.digest().rows() == b.digest().rows() && a.digest().sum() == b.digest().sum();
        }

        private static String ratio(final double value) {
            return String.format(Locale.ROOT, "%.2fx", value);
        }
    }
}
