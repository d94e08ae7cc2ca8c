package io.sluice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Supplier;

import org.knowm.xchart.CategoryChart;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.sluice.bench.report.BaselineRule;
import io.sluice.bench.report.BenchRow;
import io.sluice.bench.report.BenchSummary;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.memory.JvmFlags;

/**
 * {@code scripts/bench [--quick] [JMH regex filter] [extra JMH args]}: runs the JMH suite in this JVM through JMH's
 * Runner (forks get the Sluice JVM flags prepended, as with {@link BenchMain}) and writes a report folder
 * {@code perf-reports/YYYY-MM-DD-bench[-quick]} with {@code results.json}, a {@code README.md} summary and one plot
 * per benchmark class. Forks and iterations come from a {@link SuitePlan} unless given on the command line.
 * Exit codes: 0 done, 1 nothing to run or the run failed, 2 bad command line.
 */
public final class BenchSuite {
    static final String JAR = "bench/target/benchmarks.jar";
    private static final String BENCHMARK_LIST_RESOURCE = "/META-INF/BenchmarkList";
    private static final String USAGE = "usage: scripts/bench [--quick] [--background-load N] [JMH regex filter]"
        + " [extra JMH args]\n"
        + "  --quick  1 fork, 1 warmup + 2 measurement iterations of 1 s per benchmark (a smoke run, not a measurement)\n"
        + "  default  2 forks, 3 warmup + 5 measurement iterations of 1 s, shortened if the suite would pass "
        + SuitePlan.FULL_BUDGET.toMinutes() + " min\n"
        + "  --background-load N  N CPU-bound threads in another process during the whole run (a loaded machine,"
        + " reproducible); the report folder ends in -loadN\n"
        + "  JMH options such as -f, -wi, -i, -w, -r, -p name=v1,v2, -prof gc override the plan;"
        + " java -jar " + JAR + " -h lists them.\n"
        + "  The report goes to perf-reports/ (system property sluice.bench.out overrides).";

    private BenchSuite() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err, BenchSuite::defaultBenchmarkList));
    }

    /** The whole command; returns the exit code. {@code benchmarks} gives the jar's list, empty if it has none. */
    static int run(final String[] args, final PrintStream out, final PrintStream err,
                   final Supplier<Optional<BenchmarkList>> benchmarks) {
        final List<String> rest = new ArrayList<>(List.of(args));
        final boolean quick = rest.remove("--quick");
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        final int load;
        try {
            load = removeBackgroundLoad(rest);
        } catch (final IllegalArgumentException ex) {
            err.println("bench: " + ex.getMessage() + " (scripts/bench --help)");
            return 2;
        }
        final CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(rest.toArray(new String[0]));
        } catch (final CommandLineOptionException ex) {
            err.println("bench: bad JMH option: " + ex.getMessage() + " (scripts/bench --help)");
            return 2;
        }
        final Optional<BenchmarkList> list = benchmarks.get();
        if (list.isEmpty()) {
            err.println("bench: " + JAR + " holds no benchmarks at all (no " + BENCHMARK_LIST_RESOURCE
                + "); add @Benchmark methods under bench/src/main/java and rebuild");
            return 1;
        }
        final List<String> includes = cmd.getIncludes().isEmpty() ? List.of(".*") : cmd.getIncludes();
        final SortedSet<BenchmarkListEntry> selected = list.get().find(
            OutputFormatFactory.createFormatInstance(err, VerboseMode.SILENT), includes, cmd.getExcludes());
        if (selected.isEmpty()) {
            err.println("bench: no benchmark in " + JAR + " matches filter=" + includes
                + (cmd.getExcludes().isEmpty() ? "" : " excludes=" + cmd.getExcludes())
                + "; list them with: java -jar " + JAR + " -l");
            return 1;
        }
        final int runs = countRuns(selected, cmd);
        final SuitePlan plan = SuitePlan.choose(quick, runs);
        out.println("bench: " + selected.size() + " benchmark(s), " + runs + " run(s); plan " + plan.describe()
            + "; estimate " + minutesSeconds(plan.estimate(runs)));
        if (!quick && plan.estimate(runs).compareTo(SuitePlan.FULL_BUDGET) > 0) {
            out.println("bench: WARNING the estimate passes the " + SuitePlan.FULL_BUDGET.toMinutes()
                + " min budget even with the minimal plan; narrow the filter");
        }
        return runAndReport(cmd, quick, load, plan, String.join(" ", args), out, err);
    }

    /**
     * Removes {@code --background-load N} from {@code args} and returns N (0 when absent); throws
     * {@link IllegalArgumentException} naming the bad value.
     */
    static int removeBackgroundLoad(final List<String> args) {
        final int at = args.indexOf("--background-load");
        if (at < 0) {
            return 0;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("--background-load needs a thread count");
        }
        final String value = args.get(at + 1);
        final int threads;
        try {
            threads = Integer.parseInt(value);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("--background-load value='" + value + "' is not a thread count", ex);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--background-load threads=" + threads + " must be >= 1");
        }
        args.subList(at, at + 2).clear();
        return threads;
    }

    private static int runAndReport(final CommandLineOptions cmd, final boolean quick, final int load,
                                    final SuitePlan plan, final String args, final PrintStream out,
                                    final PrintStream err) {
        final List<String> prepend = new ArrayList<>(JvmFlags.forCurrentJdk());
        if (cmd.getJvmArgsPrepend().hasValue()) {
            prepend.addAll(cmd.getJvmArgsPrepend().get());
        }
        final Path json;
        try {
            json = Files.createTempFile("sluice-bench-", ".json");
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot create a temporary file for the JMH results", ex);
        }
        final RunLoad runLoad = RunLoad.start();
        final Collection<RunResult> results;
        final BackgroundLoad background = load > 0 ? BackgroundLoad.start(load) : null;
        try {
            results = new Runner(options(cmd, plan, prepend, json)).run();
        } catch (final RunnerException ex) {
            err.println("bench: the JMH run failed: " + ex.getMessage());
            return 1;
        } finally {
            if (background != null) {
                background.close();
            }
        }
        final RunLoad.Measured measured = runLoad.stop();
        if (results.isEmpty()) {
            err.println("bench: JMH returned no results (every benchmark failed?); no report written");
            return 1;
        }
        final Path root = Path.of(System.getProperty("sluice.bench.out", "perf-reports"));
        final ReportFolder folder = ReportFolder.create(root, (quick ? "bench-quick" : "bench")
            + (load > 0 ? "-load" + load : ""));
        try {
            // copy, not move: the temporary file is owner-only, the report is meant to be read by others
            Files.copy(json, folder.resolve("results.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.delete(json);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot move JMH results from " + json + " to " + folder, ex);
        }
        final List<BenchRow> rows = new ArrayList<>();
        for (final RunResult result : results) {
            rows.add(BenchRow.from(result));
        }
        final BenchSummary summary = new BenchSummary(rows, BaselineRule::of);
        final StringBuilder plots = new StringBuilder();
        for (final Map.Entry<String, CategoryChart> plot : summary.plots().entrySet()) {
            Plots.save(plot.getValue(), folder, plot.getKey());
            plots.append("![").append(plot.getKey()).append("](").append(plot.getKey()).append(".svg)\n\n");
        }
        // scripts/bench passes the command as the user typed it; a direct java invocation is described here.
        final String command = System.getProperty("sluice.bench.command",
            "java -cp " + JAR + " " + BenchSuite.class.getName() + (args.isEmpty() ? "" : " " + args));
        final MachineInfo machine = MachineInfo.detect(Path.of("."), prepend);
        final String backgroundLoad = "- **background load**: " + (background == null ? "none" : background.describe()) + "\n";
        folder.write("README.md", readme(command, plan, machine, measured.toMarkdown() + backgroundLoad, summary.markdown(),
            plots.toString()));
        out.println("bench: report written to " + folder);
        return 0;
    }

    /** JMH options: the command line's, with the plan's defaults for what it leaves unset. */
    private static Options options(final CommandLineOptions cmd, final SuitePlan plan, final List<String> prepend,
                                   final Path json) {
        final ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd)
            .jvmArgsPrepend(prepend.toArray(new String[0]))
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString());
        if (!cmd.getForkCount().hasValue()) {
            options.forks(plan.forks());
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            options.warmupIterations(plan.warmupIterations());
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            options.measurementIterations(plan.measurementIterations());
        }
        if (!cmd.getWarmupTime().hasValue()) {
            options.warmupTime(plan.iterationTime());
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            options.measurementTime(plan.iterationTime());
        }
        return options.build();
    }

    /** The report's README.md. */
    static String readme(final String command, final SuitePlan plan, final MachineInfo machine, final String load,
                         final String tables, final String plots) {
        return "# JMH suite" + (plan == SuitePlan.QUICK ? " (quick mode: a smoke run, not a measurement)" : "") + "\n\n"
            + "- **command**: `" + command + "`\n"
            + "- **plan**: " + plan.describe() + " (options given on the command line win)\n"
            + machine.toMarkdown()
            + load
            + "\nRaw results: `results.json` (JMH JSON). Error = JMH's 99.9% confidence half-width. Ratios compare "
            + "results of the same run only; the baseline of a class is the method or param value it names with "
            + "`@io.sluice.bench.Baseline` (or a method named `baseline*`). JMH runs its forks in other JVMs, so "
            + "this process's CPU time above is the harness's only; with the load above, read the error column.\n\n"
            + "## Results\n\n" + tables
            + "## Plots\n\n" + plots;
    }

    /** Benchmark runs JMH will make: each entry times its modes times its param combinations. */
    static int countRuns(final Collection<BenchmarkListEntry> entries, final CommandLineOptions cmd) {
        long runs = 0;
        for (final BenchmarkListEntry entry : entries) {
            long combos = 1;
            if (entry.getParams().hasValue()) {
                for (final Map.Entry<String, String[]> param : entry.getParams().get().entrySet()) {
                    combos *= cmd.getParameter(param.getKey()).hasValue()
                        ? cmd.getParameter(param.getKey()).get().size() : Math.max(1, param.getValue().length);
                }
            }
            final long modes = !cmd.getBenchModes().isEmpty() ? cmd.getBenchModes().size()
                : entry.getMode() == Mode.All ? Mode.values().length - 1 : 1;
            runs += combos * modes;
        }
        return (int) Math.min(Integer.MAX_VALUE, runs);
    }

    private static String minutesSeconds(final Duration duration) {
        return String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    private static Optional<BenchmarkList> defaultBenchmarkList() {
        return BenchSuite.class.getResource(BENCHMARK_LIST_RESOURCE) == null
            ? Optional.empty() : Optional.of(BenchmarkList.defaultList());
    }
}
