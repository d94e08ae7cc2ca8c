package io.sluice.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

import io.sluice.bench.Contender;
import io.sluice.bench.CostModel;
import io.sluice.bench.Skew;
import io.sluice.bench.Workload;
import io.sluice.bench.WorkloadGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code scripts/compare-scheduling}, parsed with picocli. Each option is checked as it is parsed;
 * a bad value ends the command with one line on stderr naming the option and what it accepts, and exit code
 * {@value #EXIT_USAGE}. Read the values through the accessors after {@link #parse} or inside {@link #execute}.
 */
@Command(name = CompareSchedulingOptions.NAME, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Runs the same skewed job with a slow worker under each scheduling policy and reports the makespan "
        + "per policy (median and spread over repetitions), its ratio to the ideal lower bound and to static. Then the "
        + "granularity panel: a fixed total of work cut into ever smaller equal tasks (spin costs at W = cores and 4 x cores, sleep "
        + "costs at W = 16) under static, central queue, work stealing and ForkJoinPool: overhead per task and where "
        + "work stealing beats the central queue.", ""},
    footer = {"", "An option given more than once takes its last value."})
public final class CompareSchedulingOptions {
    public static final String NAME = "compare-scheduling";
    /** Exit code of a bad command line. */
    public static final int EXIT_USAGE = 2;

    private static final int MAX_WORKERS = 1024;
    private static final int MAX_TASKS = 1_000_000;
    private static final double MAX_SLOW_FACTOR = 100;
    private static final double MAX_FAILURE_RATE = 0.5;
    private static final int MIN_TASK_MICROS = 10;
    private static final int MAX_TASK_MICROS = 1_000_000;
    private static final int MAX_REPETITIONS = 1000;
    private static final long NANOS_PER_MICRO = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--full", order = 13, description = "Run the wide granularity sweep (more task sizes, more work, "
        + "sleep also at 64 workers) instead of the short default panel.")
    private boolean full;

    @Option(names = "--no-granularity", order = 14, description = "Skip the granularity panel (only the workload "
        + "above runs).")
    private boolean noGranularity;

    @Mixin
    private DashboardOptions dashboard = new DashboardOptions();

    @Mixin
    private SweepOptions sweep = new SweepOptions();

    @Option(names = "--help", order = 99, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private int workers;
    private int tasks;
    private Skew skew;
    private int slowWorkers;
    /** The pinned slow workers, or null when {@link #slowWorkers} of them are chosen by the seed. */
    private int[] slowWorkerIds;
    private double slowFactor;
    private double failureRate;
    private CostModel cost;
    private int taskMicros;
    private int repetitions;
    private long seed;
    private Path out;
    private List<Contender> policies;

    /** All options at their defaults; {@link #parse} or {@link #execute} fill them from a command line. */
    public CompareSchedulingOptions() {
        workers = 8;
        tasks = 256;
        skew = Skew.zipf(1.1);
        slowWorkers = 1;
        slowFactor = 4;
        failureRate = 0;
        cost = CostModel.SLEEP;
        taskMicros = 2000;
        repetitions = 5;
        seed = 42;
        out = Path.of("perf-reports");
        policies = Contender.defaults();
    }

    /**
     * Parses {@code args} (help is ignored here: see {@link #execute}); a bad value throws
     * {@link IllegalArgumentException} whose message is the one-line error {@link #execute} would print.
     */
    public static CompareSchedulingOptions parse(final String... args) {
        final CompareSchedulingOptions options = new CompareSchedulingOptions();
        final CommandLine commandLine = new CommandLine(options).setOverwrittenOptionsAllowed(true);
        try {
            commandLine.parseArgs(args);
            options.validate();
        } catch (final ParameterException ex) {
            throw new IllegalArgumentException(oneLine(ex), ex);
        }
        return options;
    }

    /**
     * The whole command line: prints usage to {@code out} for {@code --help} (exit 0), one error line to {@code err}
     * for a bad option (exit {@value #EXIT_USAGE}), else returns what {@code job} returns for the parsed options.
     */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err,
                              final ToIntFunction<CompareSchedulingOptions> job) {
        final CompareSchedulingOptions options = new CompareSchedulingOptions();
        final CommandLine commandLine = new CommandLine(options).setOverwrittenOptionsAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((ex, ignored) -> {
            err.println(oneLine(ex));
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionStrategy(parseResult -> {
            if (CommandLine.printHelpIfRequested(parseResult)) {
                return 0;
            }
            options.validate();
            return job.applyAsInt(options);
        });
        final int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The usage text {@code --help} prints. */
    public static String usage() {
        return new CommandLine(new CompareSchedulingOptions()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    @Option(names = "--workers", order = 1, paramLabel = "N", defaultValue = "8",
        description = "Worker threads, 1..1024 (default: ${DEFAULT-VALUE}).")
    private void setWorkers(final String value) {
        workers = (int) parseLong("--workers", value, 1, MAX_WORKERS);
    }

    @Option(names = "--tasks", order = 2, paramLabel = "N", defaultValue = "256",
        description = "Tasks (partitions) per job, 1..1000000 (default: ${DEFAULT-VALUE}).")
    private void setTasks(final String value) {
        tasks = (int) parseLong("--tasks", value, 1, MAX_TASKS);
    }

    @Option(names = "--skew", order = 3, paramLabel = "uniform|zipf:S", defaultValue = "zipf:1.1",
        description = "Partition sizes: uniform, or Zipf with exponent 0 < S <= 4 (default: ${DEFAULT-VALUE}).")
    private void setSkew(final String value) {
        try {
            skew = Skew.parse(value);
        } catch (final IllegalArgumentException ex) {
            throw bad("--skew", value, Skew.ACCEPTED);
        }
    }

    @Option(names = "--slow-workers", order = 4, paramLabel = "N|I,J...", defaultValue = "1",
        description = "Workers that run --slow-factor times slower: a count 0..workers chosen by --seed, or the "
            + "worker indices themselves, comma separated or w-prefixed (1,5 or w3) (default: ${DEFAULT-VALUE}).")
    private void setSlowWorkers(final String value) {
        final String v = value == null ? "" : value.trim();
        if (!v.contains(",") && !v.startsWith("w")) {
            slowWorkers = (int) parseLong("--slow-workers", v, 0, MAX_WORKERS);
            slowWorkerIds = null;
            return;
        }
        final String[] parts = v.split(",", -1);
        final List<Integer> ids = new ArrayList<>();
        for (final String part : parts) {
            final String p = part.trim();
            if (p.isEmpty() && parts.length > 1) {
                continue;  // "3," pins worker 3
            }
            final int id;
            try {
                id = Integer.parseInt(p.startsWith("w") ? p.substring(1) : p);
            } catch (final NumberFormatException ex) {
                throw bad("--slow-workers", value, "a count 0.." + MAX_WORKERS + ", or worker indices such as 1,5 or w3");
            }
            if (id < 0 || ids.contains(id)) {
                throw bad("--slow-workers", value, "distinct worker indices");
            }
            ids.add(id);
        }
        slowWorkerIds = ids.stream().mapToInt(Integer::intValue).toArray();
        slowWorkers = slowWorkerIds.length;
    }

    @Option(names = "--slow-factor", order = 5, paramLabel = "F", defaultValue = "4",
        description = "How many times slower a slow worker is, 1..100 (default: ${DEFAULT-VALUE}).")
    private void setSlowFactor(final String value) {
        slowFactor = parseDouble("--slow-factor", value, 1, MAX_SLOW_FACTOR);
    }

    @Option(names = "--failure-rate", order = 6, paramLabel = "P", defaultValue = "0",
        description = "Probability that a task's first attempt fails, 0..0.5 (default: ${DEFAULT-VALUE}).")
    private void setFailureRate(final String value) {
        failureRate = parseDouble("--failure-rate", value, 0, MAX_FAILURE_RATE);
    }

    @Option(names = "--cost", order = 7, paramLabel = "sleep|spin", defaultValue = "sleep",
        description = "Task cost model: sleep (parked) or spin (calibrated busy loop) (default: ${DEFAULT-VALUE}).")
    private void setCost(final String value) {
        try {
            cost = CostModel.parse(value);
        } catch (final IllegalArgumentException ex) {
            throw bad("--cost", value, "sleep, spin");
        }
    }

    @Option(names = "--task-micros", order = 8, paramLabel = "US", defaultValue = "2000",
        description = "Mean task cost in microseconds, 10..1000000 (default: ${DEFAULT-VALUE}).")
    private void setTaskMicros(final String value) {
        taskMicros = (int) parseLong("--task-micros", value, MIN_TASK_MICROS, MAX_TASK_MICROS);
    }

    @Option(names = "--repetitions", order = 9, paramLabel = "N", defaultValue = "5",
        description = "Runs per policy, 1..1000 (default: ${DEFAULT-VALUE}).")
    private void setRepetitions(final String value) {
        repetitions = (int) parseLong("--repetitions", value, 1, MAX_REPETITIONS);
    }

    @Option(names = "--seed", order = 10, paramLabel = "N", defaultValue = "42",
        description = "Seed of the workload (sizes, slow workers, failures) (default: ${DEFAULT-VALUE}).")
    private void setSeed(final String value) {
        seed = parseLong("--seed", value, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Option(names = "--out", order = 11, paramLabel = "DIR", defaultValue = "perf-reports",
        description = "Folder under which the report folder is created (default: ${DEFAULT-VALUE}).")
    private void setOut(final String value) {
        if (value == null || value.isBlank()) {
            throw bad("--out", value, "a folder path");
        }
        out = Path.of(value);
    }

    @Option(names = "--policies", order = 12, paramLabel = "P[,P...]",
        defaultValue = "static,central-queue,work-stealing,work-stealing-speculation,fork-join",
        description = "Policies to compare, comma separated, from: static, central-queue, work-stealing, "
            + "work-stealing-speculation, fork-join (default: all).")
    private void setPolicies(final String value) {
        try {
            policies = Contender.parseList(value);
        } catch (final IllegalArgumentException ex) {
            throw bad("--policies", value, "a comma-separated list of " + Contender.accepted());
        }
    }

    /** Checks the constraints between options; called after parsing. */
    private void validate() {
        sweep.validate(workers);
        if (slowWorkerIds != null) {
            for (final int id : slowWorkerIds) {
                if (id >= workers) {
                    throw bad("--slow-workers", slowWorkersText(), "worker indices in 0.." + (workers - 1) + " (workers="
                        + workers + ")");
                }
            }
        }
        if (slowWorkers > workers) {
            throw bad("--slow-workers", Integer.toString(slowWorkers), "an integer in 0..workers (workers=" + workers + ")");
        }
    }

    public int workers() {
        return workers;
    }

    public int tasks() {
        return tasks;
    }

    public Skew skew() {
        return skew;
    }

    public int slowWorkers() {
        return slowWorkers;
    }

    /** The pinned slow workers' indices, or an empty array when they are chosen by the seed. */
    public int[] slowWorkerIds() {
        return slowWorkerIds == null ? new int[0] : slowWorkerIds.clone();
    }

    /** {@code --slow-workers} as a command line gives it back: a count, or {@code w}-prefixed indices. */
    private String slowWorkersText() {
        if (slowWorkerIds == null) {
            return Integer.toString(slowWorkers);
        }
        final List<String> ids = new ArrayList<>();
        for (final int id : slowWorkerIds) {
            ids.add("w" + id);
        }
        return String.join(",", ids);
    }

    public double slowFactor() {
        return slowFactor;
    }

    public double failureRate() {
        return failureRate;
    }

    public CostModel cost() {
        return cost;
    }

    /** Mean task cost in microseconds. */
    public int taskMicros() {
        return taskMicros;
    }

    public int repetitions() {
        return repetitions;
    }

    public long seed() {
        return seed;
    }

    /** The root folder of reports. */
    public Path out() {
        return out;
    }

    /** Whether the wide granularity sweep runs instead of the default panel. */
    public boolean full() {
        return full;
    }

    /** Whether the granularity panel runs at all. */
    public boolean granularity() {
        return !noGranularity;
    }

    /** {@code --ui}: the dashboard while the main workload's Sluice policies run. */
    public DashboardOptions dashboard() {
        return dashboard;
    }

    /** {@code --sweep} and its grid. */
    public SweepOptions sweep() {
        return sweep;
    }

    /** The policies to compare, in the order given, without duplicates. */
    public List<Contender> policies() {
        return policies;
    }

    /** The workload these options describe (deterministic by {@link #seed()}). */
    public Workload workload() {
        if (slowWorkerIds != null) {
            return WorkloadGenerator.generate(tasks, skew, taskMicros * NANOS_PER_MICRO, workers, slowWorkerIds,
                slowFactor, failureRate, seed);
        }
        return WorkloadGenerator.generate(tasks, skew, taskMicros * NANOS_PER_MICRO, workers, slowWorkers, slowFactor,
            failureRate, seed);
    }

    /** The options as a command line that reproduces them, for reports. */
    public List<String> toArgs() {
        final List<String> labels = new ArrayList<>();
        for (final Contender p : policies) {
            labels.add(p.label());
        }
        final List<String> args = new ArrayList<>(List.of("--workers", Integer.toString(workers), "--tasks", Integer.toString(tasks),
            "--skew", skew.toString(), "--slow-workers", slowWorkersText(),
            "--slow-factor", number(slowFactor), "--failure-rate", number(failureRate), "--cost", cost.label(),
            "--task-micros", Integer.toString(taskMicros), "--repetitions", Integer.toString(repetitions),
            "--seed", Long.toString(seed), "--out", out.toString(), "--policies", String.join(",", labels)));
        if (full) {
            args.add("--full");
        }
        if (noGranularity) {
            args.add("--no-granularity");
        }
        args.addAll(dashboard.toArgs());
        args.addAll(sweep.toArgs());
        return List.copyOf(args);
    }

    @Override
    public String toString() {
        return String.join(" ", toArgs());
    }

    private long parseLong(final String option, final String value, final long min, final long max) {
        final String accepted = max == Long.MAX_VALUE ? "a 64-bit integer" : "an integer in " + min + ".." + max;
        try {
            final long v = Long.parseLong(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (final NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw bad(option, value, accepted);
    }

    private double parseDouble(final String option, final String value, final double min, final double max) {
        try {
            final double v = Double.parseDouble(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (final NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw bad(option, value, "a number in " + number(min) + ".." + number(max));
    }

    private ParameterException bad(final String option, final String value, final String accepted) {
        return new ParameterException(spec.commandLine(),
            "invalid value for " + option + ": '" + value + "'; accepted: " + accepted);
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    private static String oneLine(final ParameterException ex) {
        final String message = ex.getMessage() == null ? "bad command line" : ex.getMessage();
        final int newline = message.indexOf('\n');
        return NAME + ": " + (newline < 0 ? message : message.substring(0, newline).trim())
            + (ex instanceof CommandLine.UnmatchedArgumentException ? " (see --help)" : "");
    }
}
