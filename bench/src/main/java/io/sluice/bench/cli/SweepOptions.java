package io.sluice.bench.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.sluice.bench.Skew;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --sweep} and its grid, mixed into {@link CompareSchedulingOptions}: instead of the one workload and the
 * granularity panel, the scheduling sweep runs every cell of skew x tasks x slow workers x failure rate. An axis
 * given explicitly replaces that axis of the default (or, with {@code --sweep-full}, the full) grid.
 */
public final class SweepOptions {
    /** The default grid's axes, the issue's: 3 x 3 x 4 x 2 = 72 cells, about 2 minutes at the default task cost. */
    static final String DEFAULT_SKEWS = "zipf:1.0,zipf:1.3,zipf:1.6";
    static final String DEFAULT_TASKS = "16,64,256";
    static final String DEFAULT_SLOW = "1x2,1x8,2x2,2x8";
    static final String DEFAULT_FAILURES = "0,0.05";
    /** The full grid's finer skew and task axes (slow workers and failure rates as by default): 200 cells. */
    static final String FULL_SKEWS = "zipf:1.0,zipf:1.15,zipf:1.3,zipf:1.45,zipf:1.6";
    static final String FULL_TASKS = "16,32,64,128,256";
    private static final int DEFAULT_REPETITIONS = 7;
    private static final int FULL_REPETITIONS = 9;
    private static final int MAX_TASKS = 1_000_000;
    private static final double MAX_SLOW_FACTOR = 100;
    private static final double MAX_FAILURE_RATE = 0.5;
    private static final int MAX_REPETITIONS = 1000;
    private static final int MIN_TASK_MICROS = 10;
    private static final int MAX_TASK_MICROS = 1_000_000;

    /**
     * One slow-worker setting of the grid.
     *
     * @param workers how many workers are slow (chosen by the seed)
     * @param factor  how many times slower they are
     */
    public record Slow(int workers, double factor) {
        /** As the command line writes it, e.g. {@code 2x8}. */
        @Override
        public String toString() {
            return workers + "x" + number(factor);
        }
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--sweep", order = 20, description = "Run the scheduling sweep instead of the workload and the "
        + "granularity panel: every cell of the grid below under static, central queue, work stealing and work stealing "
        + "+ speculation, median makespan / lower bound per cell; writes <out>/YYYY-MM-DD-compare-scheduling-sweep.")
    private boolean enabled;

    @Option(names = "--sweep-full", order = 21, description = "With --sweep: the full grid (skews " + FULL_SKEWS + ", tasks "
        + FULL_TASKS + ", " + FULL_REPETITIONS + " repetitions) instead of the default one.")
    private boolean full;

    private List<Skew> skews;
    private List<Integer> tasks;
    private List<Slow> slow;
    private List<Double> failureRates;
    private int taskMicros = 1000;
    private int repetitions = -1;

    @Option(names = "--sweep-skews", order = 22, paramLabel = "S[,S...]",
        description = "Sweep axis: partition skews, each uniform or zipf:S (default: " + DEFAULT_SKEWS + "; --sweep-full: "
            + FULL_SKEWS + ").")
    private void setSkews(final String value) {
        final List<Skew> list = new ArrayList<>();
        for (final String part : split("--sweep-skews", value)) {
            try {
                list.add(Skew.parse(part));
            } catch (final IllegalArgumentException ex) {
                throw bad("--sweep-skews", value, "a comma-separated list of " + Skew.ACCEPTED);
            }
        }
        skews = List.copyOf(list);
    }

    @Option(names = "--sweep-tasks", order = 23, paramLabel = "N[,N...]",
        description = "Sweep axis: tasks per job, each 1.." + MAX_TASKS + " (default: " + DEFAULT_TASKS + "; --sweep-full: "
            + FULL_TASKS + ").")
    private void setTasks(final String value) {
        final List<Integer> list = new ArrayList<>();
        for (final String part : split("--sweep-tasks", value)) {
            list.add((int) parseLong("--sweep-tasks", value, part, 1, MAX_TASKS));
        }
        tasks = List.copyOf(list);
    }

    @Option(names = "--sweep-slow", order = 24, paramLabel = "NxF[,NxF...]",
        description = "Sweep axis: N slow workers (chosen by --seed) at F times slower, 1 <= F <= " + (int) MAX_SLOW_FACTOR
            + " (default: " + DEFAULT_SLOW + ").")
    private void setSlow(final String value) {
        final List<Slow> list = new ArrayList<>();
        for (final String part : split("--sweep-slow", value)) {
            final int x = part.indexOf('x');
            if (x < 0) {
                throw bad("--sweep-slow", value, "a comma-separated list of NxF, e.g. 1x8,2x2");
            }
            list.add(new Slow((int) parseLong("--sweep-slow", value, part.substring(0, x), 0, MAX_TASKS),
                parseDouble("--sweep-slow", value, part.substring(x + 1), 1, MAX_SLOW_FACTOR)));
        }
        slow = List.copyOf(list);
    }

    @Option(names = "--sweep-failure-rates", order = 25, paramLabel = "P[,P...]",
        description = "Sweep axis: probability that a task's first attempt fails, each 0.." + MAX_FAILURE_RATE
            + " (default: " + DEFAULT_FAILURES + ").")
    private void setFailureRates(final String value) {
        final List<Double> list = new ArrayList<>();
        for (final String part : split("--sweep-failure-rates", value)) {
            list.add(parseDouble("--sweep-failure-rates", value, part, 0, MAX_FAILURE_RATE));
        }
        failureRates = List.copyOf(list);
    }

    @Option(names = "--sweep-task-micros", order = 26, paramLabel = "US", defaultValue = "1000",
        description = "With --sweep: mean task cost in microseconds, " + MIN_TASK_MICROS + ".." + MAX_TASK_MICROS
            + " (default: ${DEFAULT-VALUE}).")
    private void setTaskMicros(final String value) {
        taskMicros = (int) parseLong("--sweep-task-micros", value, value, MIN_TASK_MICROS, MAX_TASK_MICROS);
    }

    @Option(names = "--sweep-repetitions", order = 27, paramLabel = "N",
        description = "With --sweep: recorded runs per policy and cell, 1.." + MAX_REPETITIONS + " (default: "
            + DEFAULT_REPETITIONS + "; --sweep-full: " + FULL_REPETITIONS + ").")
    private void setRepetitions(final String value) {
        repetitions = (int) parseLong("--sweep-repetitions", value, value, 1, MAX_REPETITIONS);
    }

    /** Whether {@code --sweep} was given. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether {@code --sweep-full} was given. */
    public boolean full() {
        return full;
    }

    public List<Skew> skews() {
        if (skews == null) {
            setSkews(full ? FULL_SKEWS : DEFAULT_SKEWS);
        }
        return skews;
    }

    public List<Integer> tasks() {
        if (tasks == null) {
            setTasks(full ? FULL_TASKS : DEFAULT_TASKS);
        }
        return tasks;
    }

    public List<Slow> slow() {
        if (slow == null) {
            setSlow(DEFAULT_SLOW);
        }
        return slow;
    }

    public List<Double> failureRates() {
        if (failureRates == null) {
            setFailureRates(DEFAULT_FAILURES);
        }
        return failureRates;
    }

    /** Mean task cost of the sweep's jobs in microseconds. */
    public int taskMicros() {
        return taskMicros;
    }

    /** Recorded runs per policy and cell. */
    public int repetitions() {
        return repetitions > 0 ? repetitions : full ? FULL_REPETITIONS : DEFAULT_REPETITIONS;
    }

    /** Checks the grid against the worker count; called after parsing. */
    void validate(final int workers) {
        for (final Slow s : slow()) {
            if (s.workers() > workers) {
                throw bad("--sweep-slow", s.toString(), "slow worker counts in 0..workers (workers=" + workers + ")");
            }
        }
    }

    /** The options as command-line arguments (none without {@code --sweep}), for reports. */
    public List<String> toArgs() {
        if (!enabled) {
            return List.of();
        }
        final List<String> args = new ArrayList<>(List.of("--sweep"));
        if (full) {
            args.add("--sweep-full");
        }
        args.addAll(List.of("--sweep-skews", join(skews()), "--sweep-tasks", join(tasks()), "--sweep-slow", join(slow()),
            "--sweep-failure-rates", join(failureRates().stream().map(SweepOptions::number).toList()),
            "--sweep-task-micros", Integer.toString(taskMicros), "--sweep-repetitions", Integer.toString(repetitions())));
        return List.copyOf(args);
    }

    /** Plain decimal text: {@code 8}, {@code 0.05}, never {@code 8.0}. */
    static String number(final double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static String join(final List<?> values) {
        final List<String> parts = new ArrayList<>();
        for (final Object v : values) {
            parts.add(v.toString());
        }
        return String.join(",", parts);
    }

    private List<String> split(final String option, final String value) {
        final List<String> parts = new ArrayList<>();
        for (final String part : (value == null ? "" : value).split(",", -1)) {
            if (part.isBlank()) {
                throw bad(option, value, "a comma-separated list without empty items");
            }
            parts.add(part.trim().toLowerCase(Locale.ROOT));
        }
        return parts;
    }

    private long parseLong(final String option, final String value, final String part, final long min, final long max) {
        try {
            final long v = Long.parseLong(part.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (final NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw bad(option, value, "integers in " + min + ".." + max);
    }

    private double parseDouble(final String option, final String value, final String part, final double min,
                               final double max) {
        try {
            final double v = Double.parseDouble(part.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (final NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw bad(option, value, "numbers in " + number(min) + ".."
            + number(max));
    }

    private ParameterException bad(final String option, final String value, final String accepted) {
        return new ParameterException(mixee.commandLine(),
            "invalid value for " + option + ": '" + value + "'; accepted: " + accepted);
    }
}
