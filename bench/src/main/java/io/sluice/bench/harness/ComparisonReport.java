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
import org.knowm.xchart.XYChart;

/**
 * Writes a compare-scheduling report folder: {@code README.md} (command, machine, workload, table, how to read it),
 * {@code runs.csv} (one row per run and worker), and the plots {@code makespan.svg/.png} (median with min..max per
 * policy) and {@code busy-per-worker.svg/.png} (mean busy time of each worker per policy, grouped bars); with the
 * granularity panel, a README section of its tables and findings, {@code granularity.csv} and per panel the plots
 * {@code granularity-<panel>.svg/.png} (throughput relative to the central queue against the task size) and
 * {@code granularity-bound-<panel>.svg/.png} (makespan / lower bound).
 */
public final class ComparisonReport {
    private ComparisonReport() {
    }

    /** Writes every file into {@code folder} and returns the README's path. */
    public static Path write(final ReportFolder folder, final String command, final CompareSchedulingOptions options,
                             final MorselJob job, final MachineInfo machine, final RunLoad.Measured load,
                             final List<RunRecord> runs, final ComparisonTable table,
                             final List<GranularityTable> granularity) {
        folder.write("runs.csv", csv(runs));
        for (final GranularityTable panel : granularity) {
            final String name = panel.panel().name();
            Plots.save(logX(Plots.lines("Throughput relative to the central queue, " + name + " (median makespans)",
                "task us (log)", "x central queue throughput", panel.relativeLines())), folder, "granularity-" + name);
            Plots.save(logX(Plots.lines("Makespan / lower bound, " + name, "task us (log)", "x lower bound",
                panel.boundLines())), folder, "granularity-bound-" + name);
        }
        if (!granularity.isEmpty()) {
            folder.write("granularity.csv", granularityCsv(granularity));
        }
        Plots.save(Plots.barsWithRange("Makespan per policy (median, min..max over " + options.repetitions() + " runs)",
            "makespan ms", bars(table)), folder, "makespan");
        Plots.save(Plots.groupedBars("Busy time per worker (mean over runs)", "worker", "busy ms",
            workerLabels(job.workers()), busySeries(runs, job.workers())), folder, "busy-per-worker");
        return folder.write("README.md", readme(command, options, job, machine, load, table)
            + granularityReadme(granularity));
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

    private static XYChart logX(final XYChart chart) {
        chart.getStyler().setXAxisLogarithmic(true);
        return chart;
    }

    /** Every point of every granularity panel, one row per contender. */
    static String granularityCsv(final List<GranularityTable> panels) {
        final CsvWriter csv = new CsvWriter("panel", "cost", "workers", "tasks", "task_ns", "lower_bound_ns", "policy",
            "runs", "median_ns", "min_ns", "max_ns", "overhead_ns_per_task", "median_steals");
        for (final GranularityTable panel : panels) {
            final GranularitySweep.Panel p = panel.panel();
            for (final GranularityTable.Point point : panel.points()) {
                for (final ComparisonTable.Row row : point.table().rows()) {
                    csv.row(p.name(), p.cost().label(), p.workers(), point.tasks(), point.taskNanos(),
                        point.lowerBoundNanos(), row.policy().label(), row.runs(), row.medianNanos(), row.minNanos(),
                        row.maxNanos(), point.overheadPerTaskNanos(row.policy()), row.medianSteals());
                }
            }
        }
        return csv.toString();
    }

    /** The README's granularity section: the panels' tables, what their figures say, and how to read them. */
    static String granularityReadme(final List<GranularityTable> panels) {
        if (panels.isEmpty()) {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        out.append("\n## Granularity: why work stealing, and not one shared queue?\n\n");
        out.append("Each panel holds the total work fixed and cuts it into more, smaller equal tasks (no skew, no slow "
            + "worker, no failure; tasks are below two minimum morsels, so none is split). `overhead ns/task` = "
            + "(makespan median - lower bound) / tasks: what scheduling (claiming, queueing, committing, waking up) "
            + "and, on a loaded machine, CPU competition cost per task. `x central queue` = the central queue's median "
            + "/ this median (throughput relative to the central queue). Each contender runs on its own pool, one "
            + "warm-up and then the recorded runs, the four of a point one after the other.\n\n");
        out.append("### Findings\n\n");
        for (final GranularityTable panel : panels) {
            for (final String line : panel.findings()) {
                out.append("- ").append(line).append('\n');
            }
        }
        for (final GranularityTable panel : panels) {
            final GranularitySweep.Panel p = panel.panel();
            out.append(String.format(Locale.ROOT, "%n### %s: %s costs, %d workers, %.0f ms of work per point%n%n",
                p.name(), p.cost().label(), p.workers(), p.totalNanos() / 1e6));
            out.append(panel.toMarkdown()).append('\n');
            out.append("Plots: `granularity-").append(p.name()).append(".svg`/`.png` (throughput relative to the "
                + "central queue against the task size: a line above 1 beats the queue), `granularity-bound-")
                .append(p.name()).append(".svg`/`.png` (makespan / lower bound).\n");
        }
        out.append("\nRaw data: `granularity.csv` (one row per point and contender).\n\n");
        out.append("### What differs between the central queue and work stealing\n\n");
        out.append("- Central queue: workers claim first attempts from one shared cursor (16 at a time once tasks run "
            + "under 2 us) and every task passes through one shared MPMC queue (offer, then poll), so each task "
            + "moves shared cache lines between cores. Work stealing: a worker claims from its own block of task "
            + "indices and passes the task through its own inbox and deque, touching another worker's lines only "
            + "when it steals (the `steals` column).\n");
        out.append("- That difference is a few cache-line transfers per task, tens of nanoseconds: it shows in the "
            + "makespan only when a task costs about as little (the JMH `TaskOverheadBenchmark`, 10k empty tasks), "
            + "or when many threads hit the one queue. The `CPU ns/task over static` column measures it directly; "
            + "the wall-clock columns add everything the machine's load does to the run, which the noise-floor "
            + "line above sizes.\n");
        out.append("- With more threads than cores (the sleep panel), a thread preempted between claiming a slot of "
            + "the shared queue and writing it stalls the workers polling after it until it runs again; a likely "
            + "cause of the central queue's long `max ms` runs there (not measured separately here).\n");
        return out.toString();
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
                + "largest piece no split can cut (one 100 us chunk) on the fastest worker) = **%.2f ms** (the fluid "
                + "bound: work stealing splits running morsels; with the halving rule's largest piece on a normal "
                + "worker as the second term it was %.2f ms).%n", table.lowerBoundNanos() / 1e6,
            job.halvingBoundNanos() / 1e6));
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
