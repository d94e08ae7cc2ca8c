package io.sluice.bench.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.XYChart;

import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;

/** Writes the simulate-cluster report folder: README.md, one CSV and one SVG + PNG plot per figure. */
final class SimulationReport {
    /** One cluster size of the recovery figure, seconds. */
    record RecoveryRow(int nodes, double noFailure, double parallel, double upstream) {
    }

    private final ReportFolder folder;
    private final double load;
    private final int intervals;
    private final long seed;

    SimulationReport(final ReportFolder folder, final double load, final int intervals, final long seed) {
        this.folder = folder;
        this.load = load;
        this.intervals = intervals;
        this.seed = seed;
    }

    /** Writes everything; returns the README text. */
    String write(final String command, final MachineInfo machine, final RunLoad.Measured runLoad,
                 final List<StragglerScenario.Row> straggler,
                 final List<RecoveryRow> recovery, final String recoveryVsLoad, final List<SkewScenario.Row> skew,
                 final Map<String, double[]> sim, final long parkSlackNanos, final Path measured) {
        final StringBuilder md = new StringBuilder();
        md.append("# Cluster-scale scheduling on the discrete-event simulator\n\n## Command\n\n```\n").append(command)
            .append("\n```\n\n(intervals per straggler cell ").append(intervals).append(", recovery load ")
            .append(load).append(", seed ").append(seed).append(")\n\n## Machine\n\n").append(machine.toMarkdown())
            .append(runLoad.toMarkdown())
            .append("- Simulated times are virtual and do not depend on the machine; section (d)'s real-thread "
                + "figures were measured by compare-scheduling, whose report states its own load.\n\n");
        md.append("## The simulator\n\n`io.sluice.bench.sim.ClusterSimulator` runs one stage in virtual time over W "
            + "virtual workers. It drives the engine's own policy objects - each `SchedulingPolicy`'s `Placement` "
            + "(`Placement.Claims` for the first attempts of the stage, as the threads claim them: static i mod W, one "
            + "shared cursor, or per-worker blocks with steal-half; `offer/poll` for queued morsels: random-victim "
            + "stealing, morsel halving), `StageStats`, `SpeculationPolicy.shouldSpeculate` and "
            + "`FaultInjection.failAttempt` - and simulates only time: an attempt of r rows on worker w ends at start + "
            + "r x cost per row x slowdown(w); idle workers take work at every event in the threaded worker's order "
            + "(own claims, queue, steal; a missed steal retries after 100 us); an idle worker with nothing to poll copies a "
            + "straggler the speculation policy flags, the first attempt to finish commits and the other is "
            + "cancelled. Its tests check makespan = ceil(n/W) x t for uniform tasks under all three policies.\n\n");
        md.append(straggler(straggler)).append(recovery(recovery)).append(recoveryVsLoad).append(skew(skew))
            .append(threads(sim, parkSlackNanos, measured));
        folder.write("README.md", md.toString());
        return md.toString();
    }

    private String straggler(final List<StragglerScenario.Row> rows) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "median task s", "slow factor", "paper: none",
            "straggler", "+ speculation", "sim: none", "straggler", "+ speculation", "sim, work stealing: straggler",
            "+ speculation").rightAligned(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        final CsvWriter csv = new CsvWriter("job", "median_task_s", "slow_factor", "paper_none_s", "paper_straggler_s",
            "paper_speculation_s", "sim_none_s", "sim_straggler_s", "sim_speculation_s", "sim_ws_straggler_s",
            "sim_ws_speculation_s");
        final Map<String, List<Double>> series = new LinkedHashMap<>();
        for (final StragglerScenario.Row r : rows) {
            final StragglerScenario.Job j = r.job();
            table.row(j.name(), r.medianTaskSeconds(), r.slowFactor(), j.paperNone(), j.paperStraggler(),
                j.paperSpeculation(), r.none(), r.straggler(), r.speculation(), r.stealingStraggler(),
                r.stealingSpeculation());
            csv.row(j.name(), r.medianTaskSeconds(), r.slowFactor(), j.paperNone(), j.paperStraggler(), j.paperSpeculation(),
                r.none(), r.straggler(), r.speculation(), r.stealingStraggler(), r.stealingSpeculation());
            series.put(j.name() + " paper", List.of(j.paperNone(), j.paperStraggler(), j.paperSpeculation()));
            series.put(j.name() + " sim", List.of(r.none(), r.straggler(), r.speculation()));
        }
        folder.write("straggler.csv", csv.toString());
        Plots.save(Plots.groupedBars("Interval processing time: paper vs simulation", "", "seconds",
            List.of("no straggler", "straggler", "straggler + speculation"), series), folder, "straggler");
        return "## (a) Stragglers (D-Streams Table 2)\n\n" + StragglerScenario.WORKERS + " workers, "
            + StragglerScenario.TASKS_PER_WORKER + " tasks per worker per interval, task times log-normal (WordCount "
            + "sigma 0.3, Grep sigma 0.1) around the median below; locality placement (static: task i on worker i mod "
            + "W); the straggler is worker 0; speculation = the engine's defaults (`SpeculationPolicy.defaults()`). Calibrated: "
            + "the median so that the no-straggler cell matches the paper, the slow factor (bisection) so that the "
            + "straggler cell matches; the **speculation cells are predictions**, as are the two work-stealing "
            + "columns (same tasks, placed by the work-stealing claims, no splitting). Seconds, mean of " + intervals
            + " intervals.\n\n" + table.render() + "\nFiles: `straggler.csv`, `straggler.svg`/`.png`.\n\n";
    }

    private String recovery(final List<RecoveryRow> rows) {
        final MarkdownTable table = MarkdownTable.withHeader("nodes", "no failure s", "parallel recovery s",
            "upstream backup s", "upstream / parallel").rightAligned(0, 1, 2, 3, 4);
        final CsvWriter csv = new CsvWriter("nodes", "no_failure_s", "parallel_s", "upstream_backup_s");
        final double[] x = new double[rows.size()];
        final double[] par = new double[rows.size()];
        final double[] up = new double[rows.size()];
        final double[] none = new double[rows.size()];
        double p20 = Double.NaN;
        double p40 = Double.NaN;
        double u20 = Double.NaN;
        double u40 = Double.NaN;
        for (int i = 0; i < rows.size(); i++) {
            final RecoveryRow r = rows.get(i);
            table.row(r.nodes(), r.noFailure(), r.parallel(), r.upstream(), r.upstream() / r.parallel());
            csv.row(r.nodes(), r.noFailure(), r.parallel(), r.upstream());
            x[i] = r.nodes();
            par[i] = r.parallel();
            up[i] = r.upstream();
            none[i] = r.noFailure();
            if (r.nodes() == 20) {
                p20 = r.parallel();
                u20 = r.upstream();
            } else if (r.nodes() == 40) {
                p40 = r.parallel();
                u40 = r.upstream();
            }
        }
        folder.write("recovery.csv", csv.toString());
        final XYChart chart = Plots.lines("Recovery time after losing one node (load " + load + "), log-log", "nodes",
            "seconds", List.of(new Plots.Line("parallel recovery", x, par), new Plots.Line("upstream backup", x, up),
                new Plots.Line("no failure (one batch)", x, none)));
        // Sizes span 10..1000 and times 0.5..60 s: only log axes show both ends.
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        Plots.save(chart, folder, "recovery");
        return "## (b) Recovery time vs cluster size\n\nA batch every 1 s, " + RecoveryScenario.PARTITIONS_PER_NODE
            + " partitions per node per batch, every node busy " + pct(load) + " of the time; node 0 fails just before "
            + "a checkpoint, losing its partitions of the last " + RecoveryScenario.CHECKPOINT_BATCHES + " batches ("
            + RecoveryScenario.PARTITIONS_PER_NODE * RecoveryScenario.CHECKPOINT_BATCHES + " partitions, "
            + String.format(Locale.ROOT, "%.1f", load * RecoveryScenario.CHECKPOINT_BATCHES) + " node-seconds of "
            + "work) while batches keep arriving. Parallel recovery: the survivors recompute the lost partitions and "
            + "node 0's new share under work stealing. Upstream backup: one standby replays them alone (static keeps "
            + "them on it). Recovery time: from the failure until the lost partitions are recomputed and every "
            + "released task has finished; `no failure` is the same measure without a failure (one batch's "
            + "processing time).\n\n" + table.render()
            + String.format(Locale.ROOT, "%n20 -> 40 nodes: parallel recovery %.2f s -> %.2f s (x%.2f; above the "
                + "one-batch floor: %.2f s -> %.2f s, x%.2f); upstream backup %.2f s -> %.2f s (x%.2f).%n%n",
                p20, p40, p40 / p20, p20 - none[1], p40 - none[2], (p40 - none[2]) / (p20 - none[1]), u20, u40, u40 / u20)
            + "Files: `recovery.csv`, `recovery.svg`/`.png`.\n\n";
    }

    /** Recovery time vs load at 20 and 40 nodes (the paper's Fig. 7 axes), parallel vs upstream backup. */
    String recoveryVsLoad(final double[] loads, final double[][] seconds) {
        final MarkdownTable table = MarkdownTable.withHeader("load", "parallel, 20 nodes s", "parallel, 40 nodes s",
            "40 / 20", "upstream backup s").rightAligned(0, 1, 2, 3, 4);
        final CsvWriter csv = new CsvWriter("load", "parallel_20_s", "parallel_40_s", "upstream_backup_s");
        for (int i = 0; i < loads.length; i++) {
            table.row(loads[i], seconds[i][0], seconds[i][1], seconds[i][1] / seconds[i][0], seconds[i][2]);
            csv.row(loads[i], seconds[i][0], seconds[i][1], seconds[i][2]);
        }
        folder.write("recovery-vs-load.csv", csv.toString());
        return "### Recovery time vs load (20 and 40 nodes)\n\nThe same model at other loads (the axes of the paper's "
            + "Fig. 7, which assumes 1 min since the last checkpoint).\n\n" + table.render()
            + "\nFile: `recovery-vs-load.csv`.\n\n";
    }

    private String skew(final List<SkewScenario.Row> rows) {
        final List<SkewScenario.Column> placements = SkewScenario.COLUMNS;
        final MarkdownTable table = MarkdownTable.withHeader("workload", "LB s", "static s (x LB)", "central queue s (x LB)",
            "work stealing s (x LB)", "work stealing, no split s (x LB)").rightAligned(1, 2, 3, 4, 5);
        final List<String> header = new ArrayList<>(List.of("workload", "lower_bound_s"));
        for (final SkewScenario.Column p : placements) {
            header.add(p.name().toLowerCase(Locale.ROOT) + "_s");
        }
        final CsvWriter csv = new CsvWriter(header);
        final List<String> categories = new ArrayList<>();
        final Map<String, List<Double>> series = new LinkedHashMap<>();
        for (final SkewScenario.Row r : rows) {
            final String[] cells = new String[placements.size()];
            final List<Object> csvRow = new ArrayList<>(List.of(r.label(), r.lowerBoundSeconds()));
            for (final SkewScenario.Column p : placements) {
                final double s = r.seconds(p);
                cells[p.ordinal()] = String.format(Locale.ROOT, "%.3f (%.2f)", s, s / r.lowerBoundSeconds());
                csvRow.add(s);
                series.computeIfAbsent(p.name().toLowerCase(Locale.ROOT).replace('_', ' '), k -> new ArrayList<>())
                    .add(s / r.lowerBoundSeconds());
            }
            table.row(r.label(), r.lowerBoundSeconds(), cells[0], cells[1], cells[2], cells[3]);
            csv.row(csvRow);
            categories.add(r.label());
        }
        folder.write("skew.csv", csv.toString());
        Plots.save(Plots.groupedBars("Makespan / lower bound at " + SimulateCluster.SKEW_WORKERS + " nodes", "workload",
            "makespan / LB", categories, series), folder, "skew");
        return "## (c) Static vs dynamic under skew at " + SimulateCluster.SKEW_WORKERS + " nodes\n\n"
            + SimulateCluster.SKEW_TASKS + " partitions of mean 100 ms (the compare-scheduling generator and morsel "
            + "job: 100 ns rows, halved down to 16,384-row morsels by central queue and work stealing), task i homed on "
            + "worker i mod 100. LB = max(all work / total speed, largest piece the halving leaves).\n\n"
            + table.render() + "\nFiles: `skew.csv`, `skew.svg`/`.png`.\n\n";
    }

    private String threads(final Map<String, double[]> sim, final long parkSlackNanos, final Path measured) {
        final Map<String, Double> real = measured == null ? Map.of() : MeasuredRuns.medians(measured);
        final MarkdownTable table = MarkdownTable.withHeader("policy", "simulated ms", "sim x LB", "sim + park slack ms",
            "real threads ms", "real / simulated", "real / (sim + slack)").rightAligned(1, 2, 3, 4, 5, 6);
        final CsvWriter csv = new CsvWriter("policy", "simulated_ms", "lower_bound_ms", "simulated_with_slack_ms",
            "real_median_ms");
        for (final Map.Entry<String, double[]> e : sim.entrySet()) {
            final double simMs = e.getValue()[0];
            final double slackMs = e.getValue()[2];
            final Double realNs = real.get(e.getKey());
            final double realMs = realNs == null ? Double.NaN : realNs / 1e6;
            table.row(e.getKey(), simMs, simMs / e.getValue()[1], slackMs, realMs, realMs / simMs, realMs / slackMs);
            csv.row(e.getKey(), simMs, e.getValue()[1], slackMs, realNs == null ? "" : realMs);
        }
        folder.write("threads-vs-sim.csv", csv.toString());
        return "## (d) The compare-scheduling default workload: simulation vs real threads on this machine\n\n"
            + "The embedded default (256 Zipf(1.1) partitions, 8 workers, one 4x slower, seed 42) simulated with the "
            + "same policies, minimum morsel and speculation settings. The simulator has no per-attempt cost; a real "
            + "attempt of this sleep-based workload parks until its deadline and wakes late by the park timer's slack, "
            + String.format(Locale.ROOT, "measured here as %.0f us (median overshoot of 41 parks of 1 ms)", parkSlackNanos / 1e3)
            + ", and a worker runs dozens of attempts per stage. `sim + park slack` adds that slack to every simulated "
            + "attempt; what remains is wake-up latency of idle workers and CPU competition on a loaded machine"
            + (measured == null ? "; no real-thread runs were given (`--measured`)." : "; real-thread medians from `"
                + measured + "`.") + "\n\n" + table.render() + "\nFile: `threads-vs-sim.csv`.\n\n";
    }

    private static String pct(final double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
