package io.sluice.bench.harness;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.sluice.bench.TaskCost;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.Contender;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.sched.StageFailedException;

/**
 * {@code scripts/compare-scheduling}: runs the workload of {@link CompareSchedulingOptions} under each policy,
 * prints one progress line per run to stderr, the summary table to stdout, and writes a report folder
 * {@code <out>/YYYY-MM-DD-compare-scheduling[-N]}. Exit codes: 0 done, 1 a run failed, 2 bad command line.
 */
public final class CompareScheduling {
    /** System property the script sets to the command line as the user typed it, for the report. */
    public static final String COMMAND_PROPERTY = "sluice.bench.command";
    /** Exit code of a run that failed. */
    public static final int EXIT_FAILED = 1;
    /** Recorded runs per contender and point of the granularity panel: the default keeps the whole job short. */
    static final int GRANULARITY_REPETITIONS = 5;
    static final int FULL_GRANULARITY_REPETITIONS = 7;

    private CompareScheduling() {
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** The whole command: parse, run, print, write the report; returns the exit code. */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err) {
        final String command = System.getProperty(COMMAND_PROPERTY,
            "scripts/compare-scheduling" + (args.length == 0 ? "" : " " + String.join(" ", args)));
        return CompareSchedulingOptions.execute(args, out, err, options -> compare(options, command, out, err));
    }

    private static int compare(final CompareSchedulingOptions options, final String command, final PrintWriter out,
                               final PrintWriter err) {
        final MorselJob job = MorselJob.of(options.workload());
        final TaskCost cost = TaskCost.of(options.cost());
        final double bound = job.lowerBoundNanos();
        err.printf(Locale.ROOT, "compare-scheduling: %d tasks (%s), %d workers (%d slow x%s), %s costs, %d policies x %d "
                + "runs; lower bound %.2f ms%n", job.tasks(), options.skew(), job.workers(), options.slowWorkers(),
            MarkdownNumber.of(options.slowFactor()), options.cost().label(), options.policies().size(),
            options.repetitions(), bound / 1e6);
        final RunLoad load = RunLoad.start();
        final PolicyRunner runner = new PolicyRunner(job, cost, options.seed());
        final List<RunRecord> runs = new ArrayList<>();
        final PolicyRunner.PoolWatcher watcher = options.dashboard().enabled()
            ? new PolicyDashboard(options.dashboard().port(), options.dashboard().hold(), err) : PolicyRunner.PoolWatcher.NONE;
        final int total = options.policies().size() * options.repetitions();
        final String progress = "[%" + Integer.toString(total).length() + "d/%d] %-25s run %d/%d: %8.2f ms (%.2fx LB)%n";
        for (final Contender policy : options.policies()) {
            try {
                runs.addAll(runner.run(policy, options.repetitions(), record -> err.printf(Locale.ROOT,
                    progress, runs.size() + record.repetition(), total,
                    policy.label(), record.repetition(), options.repetitions(), record.makespanNanos() / 1e6,
                    record.makespanNanos() / bound), watcher));
            } catch (final StageFailedException ex) {
                err.println("compare-scheduling: policy " + policy.label() + " failed: " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        final ComparisonTable table = ComparisonTable.of(runs, bound);
        final List<GranularityTable> granularity;
        try {
            granularity = options.granularity() ? granularity(options, err) : List.of();
        } catch (final StageFailedException ex) {
            err.println("compare-scheduling: granularity panel failed: " + ex.getMessage());
            return EXIT_FAILED;
        }
        final ReportFolder folder = ReportFolder.create(options.out(), "compare-scheduling");
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        ComparisonReport.write(folder, command, options, job, machine, load.stop(), runs, table, granularity);
        out.print(table.toMarkdown());
        out.printf(Locale.ROOT, "lower bound %.2f ms%n", bound / 1e6);
        for (final GranularityTable panel : granularity) {
            out.printf(Locale.ROOT, "%ngranularity %s%n", panel.panel().name());
            out.print(panel.toMarkdown());
            for (final String line : panel.findings()) {
                out.println(line);
            }
        }
        out.printf(Locale.ROOT, "report: %s%n", folder.path());
        out.flush();
        return 0;
    }

    /** Runs the granularity panels ({@link GranularitySweep#panels}) with a progress line per recorded run. */
    private static List<GranularityTable> granularity(final CompareSchedulingOptions options, final PrintWriter err) {
        final List<GranularitySweep.Panel> panels = GranularitySweep.panels(Runtime.getRuntime().availableProcessors(),
            options.full());
        final int repetitions = options.full() ? FULL_GRANULARITY_REPETITIONS : GRANULARITY_REPETITIONS;
        final GranularitySweep sweep = new GranularitySweep(GranularitySweep.CONTENDERS, repetitions, options.seed());
        final int total = GranularitySweep.runsOf(panels, GranularitySweep.CONTENDERS, repetitions);
        final String progress = "[%" + Integer.toString(total).length() + "d/%d] %-9s %,7d tasks %-14s run %d/%d: "
            + "%8.2f ms%n";
        final int[] done = {0};
        final List<GranularityTable> tables = new ArrayList<>();
        for (final GranularitySweep.Panel panel : panels) {
            err.printf(Locale.ROOT, "compare-scheduling: granularity %s: %.0f ms of work in %s tasks%n", panel.name(),
                panel.totalNanos() / 1e6, panel.taskCounts());
            tables.add(GranularityTable.of(panel, sweep.run(panel, record -> err.printf(Locale.ROOT, progress, ++done[0],
                total, panel.name(), record.tasks(), record.policy().label(), record.repetition(), repetitions,
                record.makespanNanos() / 1e6))));
        }
        return tables;
    }
}
