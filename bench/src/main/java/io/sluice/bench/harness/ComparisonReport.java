package io.sluice.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sluice.bench.Workload;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.Contender;
import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.sched.SpeculationPolicy;

/**
 * Writes a compare-scheduling report folder: {@code README.md} (command, machine, workload, table, how to read it),
 * {@code runs.csv} (one row per run and worker), and the plots {@code makespan.svg/.png} (median with min..max per
 * policy) and {@code busy-per-worker.svg/.png} (mean busy time of each worker per policy, grouped bars).
 */
public final class ComparisonReport {
    private ComparisonReport() {
    }

    /** Writes every file into {@code folder} and returns the README's path. */
    public static Path write(final ReportFolder folder, final String command, final CompareSchedulingOptions options,
                             final MorselJob job, final MachineInfo machine, final RunLoad.Measured load,
                             final List<RunRecord> runs, final ComparisonTable table) {
        folder.write("runs.csv", csv(runs));
        Plots.save(Plots.barsWithRange("Makespan per policy (median, min..max over " + options.repetitions() + " runs)",
            "makespan ms", bars(table)), folder, "makespan");
        Plots.save(Plots.groupedBars("Busy time per worker (mean over runs)", "worker", "busy ms",
            workerLabels(job.workers()), busySeries(runs, job.workers())), folder, "busy-per-worker");
        return folder.write("README.md", readme(command, options, job, machine, load, table));
    }

    /** Every run, one row per (run, worker): makespan and counters repeat on the rows of a run. */
    static String csv(final List<RunRecord> runs) {
        final CsvWriter csv = new CsvWriter("policy", "repetition", "makespan_ns", "worker", "busy_ns", "steals",
            "speculative_copies", "retries", "committed_tasks", "tasks");
        for (final RunRecord run : runs) {
            for (int w = 0; w < run.workers(); w++) {
                csv.row(run.policy().label(), run.repetition(), run.makespanNanos(), w, run.busyNanos(w), run.steals(),
                    run.speculativeCopies(), run.retries(), run.committedTasks(), run.tasks());
            }
        }
        return csv.toString();
    }

    private static List<Plots.RangeBar> bars(final ComparisonTable table) {
        final List<Plots.RangeBar> bars = new ArrayList<>();
        for (final ComparisonTable.Row row : table.rows()) {
            bars.add(new Plots.RangeBar(row.policy().label(), row.medianNanos() / 1e6, row.minNanos() / 1e6,
                row.maxNanos() / 1e6));
        }
        return bars;
    }

    private static List<String> workerLabels(final int workers) {
        final List<String> labels = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            labels.add("w" + w);
        }
        return labels;
    }

    /** Mean busy ms per worker, per policy in run order. */
    static Map<String, List<Double>> busySeries(final List<RunRecord> runs, final int workers) {
        final Map<Contender, double[]> sums = new LinkedHashMap<>();
        final Map<Contender, Integer> counts = new LinkedHashMap<>();
        for (final RunRecord run : runs) {
            final double[] sum = sums.computeIfAbsent(run.policy(), p -> new double[workers]);
            for (int w = 0; w < Math.min(workers, run.workers()); w++) {
                sum[w] += run.busyNanos(w) / 1e6;
            }
            counts.merge(run.policy(), 1, Integer::sum);
        }
        final Map<String, List<Double>> series = new LinkedHashMap<>();
        for (final Map.Entry<Contender, double[]> entry : sums.entrySet()) {
            final int n = counts.get(entry.getKey());
            final List<Double> values = new ArrayList<>();
            for (final double v : entry.getValue()) {
                values.add(v / n);
            }
            series.put(entry.getKey().label(), values);
        }
        return series;
    }

    static String readme(final String command, final CompareSchedulingOptions options, final MorselJob job,
                         final MachineInfo machine, final RunLoad.Measured load, final ComparisonTable table) {
        final Workload w = job.workload();
        final StringBuilder slow = new StringBuilder();
        for (int i = 0; i < w.workers(); i++) {
            if (w.workerSlowdown(i) > 1) {
                slow.append(slow.length() == 0 ? "" : ", ").append('w').append(i);
            }
        }
        final double mean = w.tasks() == 0 ? 0 : job.totalNanos() / (double) w.tasks();
        final StringBuilder out = new StringBuilder();
        out.append("# Scheduling comparison: static vs central queue vs work stealing (+ speculation) vs ForkJoinPool\n\n");
        out.append("## Command\n\n```\n").append(command).append("\n```\n\nEffective options: `")
            .append(options).append("`\n\n");
        out.append("## Machine\n\n").append(machine.toMarkdown()).append(load.toMarkdown())
            .append("- Timings on a loaded machine are noisy: read the min..max columns.\n\n");
        out.append("## Workload\n\n");
        out.append(String.format(Locale.ROOT, "- %d partitions, skew `%s`, mean task %.2f ms, largest task %.1f ms "
                + "(%.1fx the mean), all work %.1f ms at normal speed.%n", w.tasks(), options.skew(), mean / 1e6,
            w.maxTaskNanos() / 1e6, mean == 0 ? 0 : w.maxTaskNanos() / mean, job.totalNanos() / 1e6));
        out.append(String.format(Locale.ROOT, "- %d workers; slow: %s (x%s); failure rate %s (the first morsel of a "
                + "failing task does its work, then throws; a retry recomputes it).%n", w.workers(),
            slow.length() == 0 ? "none" : slow, MarkdownNumber.of(options.slowFactor()),
            MarkdownNumber.of(options.failureRate())));
        out.append(String.format(Locale.ROOT, "- Every partition is a splittable morsel task of cost/100 ns rows; "
                + "cost model `%s` (a morsel of r rows on worker w takes r x 100 ns x slowdown(w)); dynamic policies "
                + "halve a taken morsel down to %,d rows (%.2f ms); static never splits or moves a task (task i on "
                + "worker i mod W); ForkJoinPool halves with the same rule.%n", options.cost().label(),
            job.minMorselRows(), job.minMorselRows() * MorselJob.NANOS_PER_ROW / 1e6));
        out.append(String.format(Locale.ROOT, "- Ideal lower bound LB = max(all work / total speed of the workers, "
                + "largest piece the halving rule leaves on a normal worker) = **%.2f ms**.%n", table.lowerBoundNanos() / 1e6));
        out.append("- Each policy runs once unrecorded (warm-up), then ").append(options.repetitions())
            .append(" recorded times on the same pool.\n\n");
        out.append("## Result\n\n").append(table.toMarkdown()).append('\n');
        out.append("`x lower bound` and `x static` are ratios of the medians. Raw data: `runs.csv` (one row per run "
            + "and worker). Plots: `makespan.svg`/`.png` (median bar, min and max markers), `busy-per-worker.svg`/"
            + "`.png` (mean busy ms of each worker per policy).\n\n");
        out.append("## How to read it\n\n");
        out.append("- Static keeps every partition on its home worker: the worker holding the largest partition, or "
            + "the slow worker, finishes last while the others idle; its busy bars are uneven.\n");
        out.append("- Central queue, work stealing and ForkJoinPool move and split work, so the busy bars even out "
            + "(the slow worker's bar is as tall as the others: it runs as long, doing a quarter of the work), and "
            + "the makespan approaches LB. What remains above LB is park/wake-up slack of sleeping threads, the tail "
            + "(the last morsels cannot be shared), and on 2 cores the threads' competition for CPU.\n");
        final SpeculationPolicy spec = SpeculationPolicy.defaults();
        out.append("- Speculation copies a morsel running longer than " + spec.multiplier() + "x the stage's median once "
            + Math.round(spec.minFinishedFraction() * 100) + "% of tasks have finished; with splitting, stragglers are "
            + "already small, so copies help little here (see `scripts/simulate` for the cluster-scale straggler case).\n");
        return out.toString();
    }
}
