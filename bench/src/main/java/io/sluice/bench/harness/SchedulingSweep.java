package io.sluice.bench.harness;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.sluice.bench.Contender;
import io.sluice.bench.Skew;
import io.sluice.bench.TaskCost;
import io.sluice.bench.WorkloadGenerator;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.cli.SweepOptions;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.sched.StageFailedException;

/**
 * {@code scripts/compare-scheduling --sweep}: the tail of a stage over a grid of workloads. Every cell (skew x tasks
 * x slow workers x failure rate, at the options' worker count, cost model and seed) is one {@link MorselJob}; the
 * Sluice policies take turns on it ({@link GranularitySweep#takeTurns}), and the cell's figure per policy is
 * the median makespan over the lower bound ({@link MorselJob#lowerBoundNanos()}).
 */
public final class SchedulingSweep {
    /**
     * The policies of the sweep, each with its default settings, and beside them work stealing without splitting
     * running attempts (as before it existed) and work stealing splitting them by the rule before
     * {@link io.sluice.engine.sched.SplitShare#FILL} ({@code work-stealing-balance}), and work stealing whose
     * workers set a 1 us timer slack ({@code work-stealing-slack-1us}; the default keeps the OS's).
     */
    public static final List<Contender> CONTENDERS = List.of(Contender.STATIC, Contender.CENTRAL_QUEUE,
        Contender.WORK_STEALING, Contender.WORK_STEALING_SPECULATION, Contender.WORK_STEALING_NO_SPLIT,
        Contender.WORK_STEALING_SPECULATION_NO_SPLIT, Contender.WORK_STEALING_BALANCE, Contender.WORK_STEALING_SLACK_1US);
    private static final long NANOS_PER_MICRO = 1000;

    /** One cell of the grid. */
    public record Cell(Skew skew, int tasks, SweepOptions.Slow slow, double failureRate) {
        /** The cell's job: {@code tasks} partitions of mean {@code taskMicros}, the default minimum morsel. */
        public MorselJob job(final int workers, final int taskMicros, final long seed) {
            return MorselJob.of(WorkloadGenerator.generate(tasks, skew, taskMicros * NANOS_PER_MICRO, workers,
                slow.workers(), slow.factor(), failureRate, seed));
        }

        /** The column label of the cell's heat maps: tasks and skew. */
        public String column() {
            return tasks + " " + skew;
        }

        /** The row label of the cell's heat maps: slow workers and failure rate. */
        public String row() {
            return "slow " + slow + ", fail " + MarkdownNumber.of(failureRate);
        }
    }

    /**
     * A measured cell: its lower bound (the fluid bound, {@link MorselJob#lowerBoundNanos()}), the bound that
     * counts the halving rule's largest piece ({@link MorselJob#halvingBoundNanos()}, for reference) and the
     * policies' figures.
     */
    public record Result(Cell cell, double lowerBoundNanos, double halvingBoundNanos, ComparisonTable table) {
        /** Median makespan / lower bound of {@code policy}. */
        public double ratio(final Contender policy) {
            return table.row(policy).ratioToBound();
        }
    }

    private SchedulingSweep() {
    }

    /** The grid of {@code sweep}, slow workers and failure rates outermost, skews innermost. */
    public static List<Cell> cells(final SweepOptions sweep) {
        final List<Cell> cells = new ArrayList<>();
        for (final SweepOptions.Slow slow : sweep.slow()) {
            for (final double failure : sweep.failureRates()) {
                for (final int tasks : sweep.tasks()) {
                    for (final Skew skew : sweep.skews()) {
                        cells.add(new Cell(skew, tasks, slow, failure));
                    }
                }
            }
        }
        return cells;
    }

    /** Runs every cell; {@code onRun} sees each recorded run with its cell. A failed stage throws. */
    public static List<Result> run(final CompareSchedulingOptions options, final List<Cell> cells,
                                   final CellListener onRun) {
        final SweepOptions sweep = options.sweep();
        final TaskCost cost = TaskCost.of(options.cost());
        final List<Result> results = new ArrayList<>();
        for (final Cell cell : cells) {
            final MorselJob job = cell.job(options.workers(), sweep.taskMicros(), options.seed());
            final List<RunRecord> runs = new ArrayList<>();
            final Consumer<RunRecord> listener = record -> onRun.accept(cell, job.lowerBoundNanos(), record);
            for (final PolicyRunner.CpuTimedRun run : GranularitySweep.takeTurns(job, cost, CONTENDERS,
                sweep.repetitions(), options.seed(), listener)) {
                runs.add(run.record());
            }
            results.add(new Result(cell, job.lowerBoundNanos(), job.halvingBoundNanos(),
                ComparisonTable.of(runs, job.lowerBoundNanos())));
        }
        return results;
    }

    /** Sees each recorded run of the sweep. */
    @FunctionalInterface
    public interface CellListener {
        void accept(Cell cell, double lowerBoundNanos, RunRecord run);
    }

    /** The whole {@code --sweep} command after parsing: run, print, write the report; returns the exit code. */
    static int sweep(final CompareSchedulingOptions options, final String command, final PrintWriter out,
                     final PrintWriter err) {
        final SweepOptions sweep = options.sweep();
        final List<Cell> cells = cells(sweep);
        final int total = cells.size() * CONTENDERS.size() * sweep.repetitions();
        err.printf(Locale.ROOT, "compare-scheduling --sweep: %d cells x %d policies x %d runs, %d workers, %s costs, "
                + "mean task %d us%n", cells.size(), CONTENDERS.size(), sweep.repetitions(), options.workers(),
            options.cost().label(), sweep.taskMicros());
        final String progress = "[%" + Integer.toString(total).length() + "d/%d] %-32s %-25s run %d: %7.2f ms "
            + "(%.2fx LB)%n";
        final int[] done = {0};
        final RunLoad load = RunLoad.start();
        final List<Result> results;
        try {
            results = run(options, cells, (cell, bound, record) -> err.printf(Locale.ROOT, progress, ++done[0], total,
                cell.column() + ", " + cell.row(), record.policy().label(), record.repetition(),
                record.makespanNanos() / 1e6, record.makespanNanos() / bound));
        } catch (final StageFailedException ex) {
            err.println("compare-scheduling: sweep failed: " + ex.getMessage());
            return CompareScheduling.EXIT_FAILED;
        }
        final RunLoad.Measured measured = load.stop();
        final ReportFolder folder = ReportFolder.create(options.out(), "compare-scheduling-sweep");
        final SweepReport report = new SweepReport(results);
        report.write(folder, command, options, MachineInfo.detect(Path.of(".")), measured);
        out.print(report.toMarkdown());
        for (final String line : report.findings()) {
            out.println(line);
        }
        out.printf(Locale.ROOT, "report: %s%n", folder.path());
        out.flush();
        return 0;
    }
}
