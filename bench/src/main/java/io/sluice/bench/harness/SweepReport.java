package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.sluice.bench.Contender;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.cli.SweepOptions;
import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;

/**
 * The figures of a scheduling sweep: per cell and policy the median makespan / lower bound, as a table (cells x
 * policies), {@code sweep.csv}, one heat map per policy ({@code sweep-<policy>.svg/.png}, columns tasks x skew, rows
 * slow workers x failure rate, one colour scale for all maps) and the findings those figures support. Immutable.
 */
public final class SweepReport {
    /** The target: work stealing within this many times the lower bound in every cell. */
    public static final double TARGET = 1.15;
    /** The top of the heat maps' colour scale: a cell at or above it has the darkest colour (its text, the value). */
    static final double HEAT_MAP_MAX = 3;

    private final List<SchedulingSweep.Result> results;

    /** The report of {@code results} (at least one cell). */
    public SweepReport(final List<SchedulingSweep.Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a sweep report needs at least one cell");
        }
        this.results = List.copyOf(results);
    }

    public List<SchedulingSweep.Result> results() {
        return results;
    }

    /** The policies, in the order of the first cell's table. */
    public List<Contender> policies() {
        return results.get(0).table().rows().stream().map(ComparisonTable.Row::policy).toList();
    }

    /** One row per cell: its parameters, lower bound, and each policy's median / LB. */
    public String toMarkdown() {
        final List<String> header = new ArrayList<>(List.of("skew", "tasks", "slow", "failure rate", "LB ms",
            "halving LB ms"));
        for (final Contender p : policies()) {
            header.add(p.label() + " x LB");
        }
        MarkdownTable table = MarkdownTable.withHeader(header.toArray(String[]::new));
        final int[] right = new int[header.size() - 1];
        for (int i = 0; i < right.length; i++) {
            right[i] = i + 1;
        }
        table = table.rightAligned(right);
        for (final SchedulingSweep.Result r : results) {
            final List<Object> row = new ArrayList<>(List.of(r.cell().skew().toString(), r.cell().tasks(),
                r.cell().slow().toString(), MarkdownNumber.of(r.cell().failureRate()), r.lowerBoundNanos() / 1e6,
                r.halvingBoundNanos() / 1e6));
            for (final Contender p : policies()) {
                row.add(r.ratio(p));
            }
            table.row(row.toArray());
        }
        return table.render();
    }

    /** One row per cell and policy. */
    public String csv() {
        final CsvWriter csv = new CsvWriter("skew", "tasks", "slow_workers", "slow_factor", "failure_rate",
            "lower_bound_ns", "halving_bound_ns", "policy", "runs", "median_ns", "min_ns", "max_ns", "x_lower_bound", "median_steals",
            "median_speculative_copies", "median_retries", "min_committed_tasks");
        for (final SchedulingSweep.Result r : results) {
            final SchedulingSweep.Cell c = r.cell();
            for (final ComparisonTable.Row row : r.table().rows()) {
                csv.row(c.skew().toString(), c.tasks(), c.slow().workers(), c.slow().factor(), c.failureRate(),
                    r.lowerBoundNanos(), r.halvingBoundNanos(), row.policy().label(), row.runs(), row.medianNanos(), row.minNanos(),
                    row.maxNanos(), row.ratioToBound(), row.medianSteals(), row.medianCopies(), row.medianRetries(),
                    row.minCommitted());
            }
        }
        return csv.toString();
    }

    /** Cells where {@code policy}'s median is within {@link #TARGET} x LB. */
    public int cellsWithinTarget(final Contender policy) {
        int n = 0;
        for (final SchedulingSweep.Result r : results) {
            n += r.ratio(policy) <= TARGET ? 1 : 0;
        }
        return n;
    }

    /** The cell where {@code policy}'s median / LB is highest. */
    public SchedulingSweep.Result worst(final Contender policy) {
        SchedulingSweep.Result worst = results.get(0);
        for (final SchedulingSweep.Result r : results) {
            if (r.ratio(policy) > worst.ratio(policy)) {
                worst = r;
            }
        }
        return worst;
    }

    /** Per policy: cells within the target, the worst cell, the median over cells; then the target's verdict. */
    public List<String> findings() {
        final List<String> lines = new ArrayList<>();
        for (final Contender p : policies()) {
            final SchedulingSweep.Result w = worst(p);
            final long[] millis = results.stream().mapToLong(r -> Math.round(r.ratio(p) * 1000)).toArray();
            lines.add(String.format(Locale.ROOT, "%s: within %.2fx LB in %d of %d cells; median over cells %.2fx; "
                    + "worst %.2fx at %s, %s (LB %.2f ms, min..max %.2f..%.2f ms).", p.label(), TARGET,
                cellsWithinTarget(p), results.size(), ComparisonTable.median(millis) / 1000, w.ratio(p),
                w.cell().column(), w.cell().row(), w.lowerBoundNanos() / 1e6, w.table().row(p).minNanos() / 1e6,
                w.table().row(p).maxNanos() / 1e6));
        }
        if (policies().contains(Contender.WORK_STEALING)) {
            final int within = cellsWithinTarget(Contender.WORK_STEALING);
            lines.add(String.format(Locale.ROOT, "Target (work stealing, default settings, <= %.2fx LB in every cell): "
                + "%s in this run (%d of %d cells).", TARGET, within == results.size() ? "met" : "not met", within,
                results.size()));
        }
        return lines;
    }

    /** Writes README.md, sweep.csv and the heat maps into {@code folder}. */
    public void write(final ReportFolder folder, final String command, final CompareSchedulingOptions options,
                      final MachineInfo machine, final RunLoad.Measured load) {
        folder.write("sweep.csv", csv());
        final List<String> columns = new ArrayList<>();
        final List<String> rows = new ArrayList<>();
        for (final SchedulingSweep.Result r : results) {
            if (!columns.contains(r.cell().column())) {
                columns.add(r.cell().column());
            }
            if (!rows.contains(r.cell().row())) {
                rows.add(r.cell().row());
            }
        }
        double max = TARGET + 0.1;
        for (final SchedulingSweep.Result r : results) {
            for (final Contender p : policies()) {
                max = Math.max(max, Math.min(r.ratio(p), HEAT_MAP_MAX));
            }
        }
        for (final Contender p : policies()) {
            final double[][] values = new double[rows.size()][columns.size()];
            for (final double[] row : values) {
                Arrays.fill(row, Double.NaN);
            }
            for (final SchedulingSweep.Result r : results) {
                values[rows.indexOf(r.cell().row())][columns.indexOf(r.cell().column())] = r.ratio(p);
            }
            Plots.save(Plots.heatMap("Median makespan / lower bound, " + p.label(), "tasks, skew",
                "slow workers x factor, failure rate", columns, rows, values, 1, max), folder, "sweep-" + p.label());
        }
        folder.write("README.md", readme(command, options, machine, load));
    }

    private String readme(final String command, final CompareSchedulingOptions options, final MachineInfo machine,
                          final RunLoad.Measured load) {
        final SweepOptions sweep = options.sweep();
        final StringBuilder out = new StringBuilder();
        out.append("# Scheduling sweep: the tail of a stage, x lower bound per policy\n\n");
        out.append("## Command\n\n```\n").append(command).append("\n```\n\nEffective options: `").append(options)
            .append("`\n\n");
        out.append("## Machine\n\n").append(machine.toMarkdown()).append(load.toMarkdown())
            .append("- Timings on a loaded machine are noisy: `sweep.csv` has each cell's min..max.\n\n");
        out.append("## Grid\n\n");
        out.append(String.format(Locale.ROOT, "- %d cells: skew %s x tasks %s x slow workers (count x factor, chosen "
                + "by seed %d) %s x first-attempt failure rate %s.%n", results.size(), sweep.skews(), sweep.tasks(),
            options.seed(), sweep.slow(), sweep.failureRates().stream().map(MarkdownNumber::of).toList()));
        out.append(String.format(Locale.ROOT, "- %d workers, `%s` costs, mean task %d us; a morsel of r rows on worker "
                + "w takes r x 100 ns x slowdown(w), its rows claimed in chunks of ~%d us of the worker's time; dynamic "
                + "policies halve a morsel down to %,d rows when taken, and work stealing (not its -no-split variants) "
                + "also splits a running morsel's unclaimed rows.%n",
            options.workers(), options.cost().label(), sweep.taskMicros(), MorselJob.CHUNK_NANOS / 1000,
            MorselJob.MIN_MORSEL_ROWS));
        out.append("- LB is the fluid bound: max(all work / total speed of the workers, largest piece no split can cut "
            + "on the fastest worker, i.e. one chunk or a smaller whole task). Work stealing splits a running morsel's "
            + "unclaimed rows down to about a chunk, so the work can spread over every worker to the end; the bound "
            + "used before (`halving LB ms`: the halving rule's largest piece on a normal worker as second term) is "
            + "not a lower bound then (work stealing ran at 0.80-0.91x of it). The calling thread only waits "
            + "(caller-runs off), so the W workers are all the runners. A cell's figure is the median makespan over "
            + sweep.repetitions() + " recorded runs / LB. In each cell the " + policies().size() + " policies take "
            + "turns, one run each per round on a fresh pool (the first round after an unrecorded warm-up), the order rotating.\n\n");
        out.append("## Findings\n\n");
        for (final String line : findings()) {
            out.append("- ").append(line).append('\n');
        }
        out.append("\n## x lower bound per cell\n\n").append(toMarkdown()).append('\n');
        out.append("Heat maps (one colour scale for all, from 1x LB up to " + MarkdownNumber.of(HEAT_MAP_MAX)
            + "x or the highest cell below it; a cell above the top has the top colour and shows its value): ");
        final List<String> maps = new ArrayList<>();
        for (final Contender p : policies()) {
            maps.add("`sweep-" + p.label() + ".svg`/`.png`");
        }
        out.append(String.join(", ", maps)).append(". Raw data: `sweep.csv` (one row per cell and policy).\n");
        return out.toString();
    }
}
