package io.sluice.bench.sim;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import io.sluice.bench.Skew;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.Contender;
import io.sluice.bench.harness.MorselJob;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.sched.SpeculationPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/simulate}: the cluster-scale figures on the discrete-event simulator, written to one report folder
 * {@code <out>/YYYY-MM-DD-simulate-cluster[-N]}: (a) the D-Streams straggler table, (b) recovery time vs cluster
 * size, parallel vs upstream backup, (c) static vs dynamic makespan under Zipf skew at 100 nodes, (d) the
 * compare-scheduling default workload simulated beside its real-thread runs. Exit 0 done, 2 bad command line.
 */
@Command(name = "simulate", sortOptions = false, mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
    description = {"Reproduces the D-Streams cluster-scale figures on a discrete-event simulator that drives the "
        + "engine's own scheduling policies.", ""})
public final class SimulateCluster implements Callable<Integer> {
    static final int[] CLUSTER_SIZES = {10, 20, 40, 100, 200, 500, 1000};
    static final double[] LOADS = {0.2, 0.4, 0.5, 0.6, 0.8};
    static final int SKEW_WORKERS = 100;
    static final int SKEW_TASKS = 1000;
    static final long SKEW_MEAN_NANOS = 100_000_000L;
    private static final long SIM_STEAL_RETRY_NANOS = 100_000;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--intervals", paramLabel = "N", defaultValue = "20",
        description = "Simulated intervals averaged per straggler-table cell, 1..1000 (default: ${DEFAULT-VALUE}).")
    private int intervals;

    @Option(names = "--load", paramLabel = "P", defaultValue = "0.5",
        description = "Node load before the failure for the recovery figure, 0.05..0.95 (default: ${DEFAULT-VALUE}).")
    private double load;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--measured", paramLabel = "FILE",
        description = "A compare-scheduling runs.csv whose medians are set beside the simulated default workload.")
    private Path measured;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "perf-reports",
        description = "Folder under which the report folder is created (default: ${DEFAULT-VALUE}).")
    private Path out;

    private PrintWriter stdout;
    private PrintWriter stderr;

    public static void main(final String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** The whole command; returns the exit code. */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err) {
        final SimulateCluster command = new SimulateCluster();
        command.stdout = out;
        command.stderr = err;
        final CommandLine line = new CommandLine(command);
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((ex, ignored) -> {
            final String message = ex.getMessage() == null ? "bad command line" : ex.getMessage();
            err.println("simulate: " + message.lines().findFirst().orElse(message));
            err.flush();
            return CompareSchedulingOptions.EXIT_USAGE;
        });
        final int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        final String bad = validate();
        if (bad != null) {
            stderr.println("simulate: " + bad);
            return CompareSchedulingOptions.EXIT_USAGE;
        }
        final String command = System.getProperty("sluice.bench.command", "scripts/simulate");
        final RunLoad runLoad = RunLoad.start();
        stderr.println("simulate: (a) straggler table, " + intervals + " intervals per cell");
        final List<StragglerScenario.Row> straggler = new StragglerScenario(intervals, seed).run();
        stderr.println("simulate: (b) recovery vs cluster size " + Arrays.toString(CLUSTER_SIZES));
        final List<SimulationReport.RecoveryRow> recovery = recovery();
        stderr.println("simulate: (c) skew at " + SKEW_WORKERS + " nodes");
        final List<SkewScenario.Row> skew = skew();
        stderr.println("simulate: (d) compare-scheduling default workload");
        final long slack = parkSlackNanos();
        final Map<String, double[]> threads = threadsVsSim(slack);
        stderr.println("simulate: (b) recovery vs load at 20 and 40 nodes " + Arrays.toString(LOADS));
        final double[][] byLoad = recoveryVsLoad();
        final ReportFolder folder = ReportFolder.create(out, "simulate-cluster");
        final SimulationReport report = new SimulationReport(folder, load, intervals, seed);
        final String text = report.write(command, MachineInfo.detect(Path.of(".")), runLoad.stop(), straggler, recovery,
            report.recoveryVsLoad(LOADS, byLoad), skew, threads, slack, measured);
        stdout.print(text);
        stdout.println("report: " + folder.path());
        return 0;
    }

    private String validate() {
        if (intervals < 1 || intervals > 1000) {
            return "invalid value for --intervals: '" + intervals + "'; accepted: an integer in 1..1000";
        }
        if (!(load >= 0.05 && load <= 0.95)) {
            return "invalid value for --load: '" + load + "'; accepted: a number in 0.05..0.95";
        }
        if (measured != null && !Files.isRegularFile(measured)) {
            return "invalid value for --measured: '" + measured + "'; accepted: an existing compare-scheduling runs.csv";
        }
        return null;
    }

    private List<SimulationReport.RecoveryRow> recovery() {
        final RecoveryScenario scenario = new RecoveryScenario(load, seed);
        final List<SimulationReport.RecoveryRow> rows = new ArrayList<>();
        for (final int n : CLUSTER_SIZES) {
            rows.add(new SimulationReport.RecoveryRow(n, scenario.recoverySeconds(n, RecoveryScenario.Scheme.NO_FAILURE),
                scenario.recoverySeconds(n, RecoveryScenario.Scheme.PARALLEL),
                scenario.recoverySeconds(n, RecoveryScenario.Scheme.UPSTREAM_BACKUP)));
            stderr.printf(Locale.ROOT, "  N=%d done%n", n);
        }
        return rows;
    }

    /** Per load: parallel recovery on 20 and 40 nodes, upstream backup (20 nodes), seconds. */
    private double[][] recoveryVsLoad() {
        final double[][] seconds = new double[LOADS.length][];
        for (int i = 0; i < LOADS.length; i++) {
            final RecoveryScenario scenario = new RecoveryScenario(LOADS[i], seed);
            seconds[i] = new double[] {scenario.recoverySeconds(20, RecoveryScenario.Scheme.PARALLEL),
                scenario.recoverySeconds(40, RecoveryScenario.Scheme.PARALLEL),
                scenario.recoverySeconds(20, RecoveryScenario.Scheme.UPSTREAM_BACKUP)};
        }
        return seconds;
    }

    private List<SkewScenario.Row> skew() {
        final SkewScenario scenario = new SkewScenario(SKEW_WORKERS, SKEW_TASKS, SKEW_MEAN_NANOS, seed);
        final List<SkewScenario.Row> rows = new ArrayList<>();
        for (final String s : List.of("uniform", "zipf:0.5", "zipf:0.8", "zipf:1.1", "zipf:1.5")) {
            rows.add(scenario.run(Skew.parse(s), 0, 1));
        }
        rows.add(scenario.run(Skew.zipf(1.1), 1, 4));
        return rows;
    }

    /**
     * This machine's park slack: the median overshoot of {@code LockSupport.parkNanos(1 ms)} over 41 parks, the time
     * a sleeping attempt of the compare-scheduling workload runs past its cost on real threads.
     */
    static long parkSlackNanos() {
        final long[] over = new long[41];
        for (int i = 0; i < over.length; i++) {
            final long start = System.nanoTime();
            LockSupport.parkNanos(1_000_000L);
            over[i] = Math.max(0, System.nanoTime() - start - 1_000_000L);
        }
        Arrays.sort(over);
        return over[over.length / 2];
    }

    /** {@link #threadsVsSim(long)} without an attempt overhead. */
    static Map<String, double[]> threadsVsSim() {
        return threadsVsSim(0);
    }

    /**
     * Per Sluice policy of the compare-scheduling default workload, by label: the simulated makespan (ms), the lower
     * bound (ms), and the makespan simulated with {@code slackNanos} added to every attempt (ms).
     */
    static Map<String, double[]> threadsVsSim(final long slackNanos) {
        final CompareSchedulingOptions options = CompareSchedulingOptions.parse();
        final MorselJob job = MorselJob.of(options.workload());
        final Map<String, double[]> sim = new LinkedHashMap<>();
        for (final Contender p : Contender.defaults()) {
            if (!p.isSluice()) {
                continue;
            }
            final SimConfig.Builder config = SimConfig.builder(job.workers(), p.sluicePolicy()).minMorselRows(job.minMorselRows())
                .seed(options.seed()).stealRetryNanos(SIM_STEAL_RETRY_NANOS)
                .splitRunning(p.splitRunning() && p.sluicePolicy().stealsWork());
            for (int w = 0; w < job.workers(); w++) {
                if (job.workload().workerSlowdown(w) > 1) {
                    config.slowWorker(w, job.workload().workerSlowdown(w));
                }
            }
            if (p.speculation()) {
                config.speculation(SpeculationPolicy.defaults());
            }
            final List<SimTask> tasks = SkewScenario.tasks(job, p != Contender.STATIC);
            final SimResult r = new ClusterSimulator(config.build()).run(tasks);
            final SimResult slack = new ClusterSimulator(config.attemptOverheadNanos(slackNanos).build()).run(tasks);
            sim.put(p.label(), new double[] {r.makespanNanos() / 1e6, job.lowerBoundNanos() / 1e6,
                slack.makespanNanos() / 1e6});
        }
        return sim;
    }
}
