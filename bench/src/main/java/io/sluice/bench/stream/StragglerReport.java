package io.sluice.bench.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;

/** The straggler section of the stream-bench report: tables, paper comparison, {@code straggler.csv}, plots. */
final class StragglerReport {
    /** The goal: with speculation, at most this times the no-straggler time. */
    static final double GOAL_RATIO = 1.2;
    /** D-Streams paper (SOSP 2013), processing time in s: no straggler, straggler, straggler + speculation. */
    static final Map<TextJob, double[]> PAPER = Map.of(TextJob.WORDCOUNT, new double[] {0.55, 3.02, 1.00},
        TextJob.GREP, new double[] {0.54, 2.40, 0.64});

    private StragglerReport() {
    }

    static String write(final ReportFolder folder, final StreamBenchPlan plan, final StreamResults results) {
        final StragglerBench.Settings s = plan.straggler();
        folder.write("straggler.csv", csv(results.straggler()));
        final StringBuilder out = new StringBuilder("## 3. Straggler experiment (D-Streams paper style)\n\n");
        out.append(String.format(Locale.ROOT, "Streaming word count and grep as above, %d ms batches of %,.0f lines "
                + "(%,.0f lines/s), on %d workers; each batch is %d partitions (%d per worker). **Cost model: sleep.** "
                + "Every task first parks for %.0f us per line of its partition times its worker's slowdown "
                + "(`WorkerSlowdown`: the factor `FaultInjection.slowWorker(%d, %.1f)` gives worker %d, read from the "
                + "worker thread's name, because Dataset tasks do not see their `TaskContext`), then does the real "
                + "work. A parked thread uses no CPU, so 8 workers on 2 cores act like 8 nodes: the slow worker is "
                + "slow because of its own tasks, as a straggling node is, and not because the others take its core; "
                + "the real CPU work (copy, split, hash aggregate) stays small next to the sleep (ideal sleep part "
                + "per batch: %.0f ms without straggler). Per-batch processing time comes from the stream's "
                + "`BatchInfo`; %.1f s warm-up, %.1f s measured (%d batches) per run. Speculation: the scheduler's "
                + "defaults (copy an attempt running > 1.4x the stage's median and at least 10 ms past it, once 75%% "
                + "of its tasks finished).%n%n",
            s.intervalMillis(), s.rate() * s.intervalMillis() / 1000, s.rate(), StragglerBench.WORKERS,
            s.partitions(), s.tasksPerWorker(), s.nanosPerRow() / 1e3,
            StragglerBench.SLOW_WORKER, s.slowdown(), StragglerBench.SLOW_WORKER, s.idealNanos() / 1e6,
            plan.stragglerWarmup().toMillis() / 1e3, plan.stragglerMeasure().toMillis() / 1e3,
            plan.stragglerMeasure().toMillis() / s.intervalMillis()));
        out.append(table(results).render()).append('\n');
        out.append("### Against the paper\n\n").append(paper(results).render()).append('\n');
        out.append(goal(results)).append('\n');
        out.append("### What the shape allows\n\n").append(bound(results, s).render()).append('\n');
        out.append("`best indivisible` is the shortest sleep part any schedule of the batch's equal, indivisible tasks "
            + "can reach with one worker slowed (`StragglerBound`: the slow worker runs k tasks, the others share the "
            + "rest, best k); a speculative copy is only another placement of a task, so stealing plus copies cannot "
            + "beat it, only splitting tasks can, down to the `fluid` bound. `min extra ms` is what the slow worker "
            + "adds to the sleep part at the least (best indivisible minus ideal); `measured extra ms` is work "
            + "stealing + straggler + speculation minus work stealing without straggler (the CPU part of other "
            + "workers' tasks can overlap the slow worker's sleep, so it may come out below the minimum).\n\n");
        saveCharts(folder, results);
        out.append("![straggler](straggler.png)\n![straggler-ratio](straggler-ratio.png)\n\n");
        out.append("`x no straggler` divides by the same policy's no-straggler median. Static keeps each task on its "
            + "home worker (task i on worker i mod 8), so the slow worker's tasks take 5x as long and the batch "
            + "waits for them; with speculation an idle worker copies the slow worker's *running* task, but its "
            + "queued ones still wait for it (the paper's Spark, with tasks bound to a node, is closest to this). "
            + "Work stealing lets the other workers take the slow worker's queued tasks, leaving only the one it "
            + "is running; a speculative copy of that one can start only when an idle worker appears, i.e. once "
            + "the queue is empty, so it wins only if the slow attempt has more than one normal task's time left "
            + "then. Raw data: "
            + "`straggler.csv` (one row per batch). Plots: `straggler.svg`/`.png` (median ms per configuration), "
            + "`straggler-ratio.svg`/`.png` (x no-straggler, measured and paper).\n\n");
        return out.toString();
    }

    static MarkdownTable table(final StreamResults results) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "configuration", "batches", "median ms", "min ms",
            "max ms", "x no straggler", "x static").rightAligned(2, 3, 4, 5, 6, 7);
        for (final StragglerRow row : results.straggler()) {
            final StragglerRow none = results.straggler(row.job(), noStraggler(row.config()));
            final StragglerRow stat = results.straggler(row.job(), StragglerConfig.STATIC_NONE);
            table.row(row.job().label(), row.config().label(), row.stats().batches(), row.medianMillis(), row.minMillis(),
                row.maxMillis(), none == null ? Double.NaN : row.medianMillis() / none.medianMillis(),
                stat == null ? Double.NaN : row.medianMillis() / stat.medianMillis());
        }
        return table;
    }

    /**
     * Per job: lines per batch (measured), the ideal sleep part, the best placement of indivisible tasks and the fluid
     * bound (x ideal), and the time the slow worker adds at the least and as measured.
     */
    static MarkdownTable bound(final StreamResults results, final StragglerBench.Settings s) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "lines/batch", "ideal sleep ms", "best indivisible ms",
            "x ideal", "fluid x ideal", "min extra ms", "measured extra ms")
            .rightAligned(1, 2, 3, 4, 5, 6, 7);
        for (final TextJob job : TextJob.values()) {
            final StragglerRow none = results.straggler(job, StragglerConfig.WS_NONE);
            final StragglerRow spec = results.straggler(job, StragglerConfig.WS_STRAGGLER_SPECULATION);
            if (none == null || spec == null) {
                continue;
            }
            final double lines = spec.stats().meanRecordsPerBatch();
            final double taskNanos = lines / s.partitions() * s.nanosPerRow();
            final double ideal = lines * s.nanosPerRow() / StragglerBench.WORKERS;
            final double best = StragglerBound.indivisibleNanos(s.partitions(), taskNanos, StragglerBench.WORKERS, s.slowdown());
            final double fluid = StragglerBound.fluidNanos(s.partitions(), taskNanos, StragglerBench.WORKERS, s.slowdown());
            table.row(job.label(), lines, ideal / 1e6, best / 1e6, best / ideal, fluid / ideal, (best - ideal) / 1e6,
                spec.medianMillis() - none.medianMillis());
        }
        return table;
    }

    /** The no-straggler configuration of the same policy. */
    static StragglerConfig noStraggler(final StragglerConfig config) {
        return config.placement() == StragglerConfig.STATIC_NONE.placement() ? StragglerConfig.STATIC_NONE : StragglerConfig.WS_NONE;
    }

    static MarkdownTable paper(final StreamResults results) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "policy", "no straggler ms", "straggler ms",
            "straggler + speculation ms", "ratios (measured)", "paper s", "ratios (paper)").rightAligned(2, 3, 4);
        for (final TextJob job : TextJob.values()) {
            final double[] p = PAPER.get(job);
            final String paper = String.format(Locale.ROOT, "%.2f / %.2f / %.2f", p[0], p[1], p[2]);
            final double[] ws = measured(results, job);
            if (ws != null) {
                table.row(job.label(), "work stealing", ws[0], ws[1], ws[2], ratios(ws), paper, ratios(p));
            }
            final double[] st = measuredStatic(results, job);
            if (st != null) {
                table.row(job.label(), "static", st[0], st[1], st[2], ratios(st), paper, ratios(p));
            }
        }
        return table;
    }

    /** Static medians in ms: no straggler, straggler, straggler + speculation; null if a run is missing. */
    static double[] measuredStatic(final StreamResults results, final TextJob job) {
        final StragglerRow none = results.straggler(job, StragglerConfig.STATIC_NONE);
        final StragglerRow slow = results.straggler(job, StragglerConfig.STATIC_STRAGGLER);
        final StragglerRow spec = results.straggler(job, StragglerConfig.STATIC_STRAGGLER_SPECULATION);
        if (none == null || slow == null || spec == null) {
            return null;
        }
        return new double[] {none.medianMillis(), slow.medianMillis(), spec.medianMillis()};
    }

    /** Work-stealing medians in ms: no straggler, straggler, straggler + speculation; null if a run is missing. */
    static double[] measured(final StreamResults results, final TextJob job) {
        final StragglerRow none = results.straggler(job, StragglerConfig.WS_NONE);
        final StragglerRow slow = results.straggler(job, StragglerConfig.WS_STRAGGLER);
        final StragglerRow spec = results.straggler(job, StragglerConfig.WS_STRAGGLER_SPECULATION);
        if (none == null || slow == null || spec == null) {
            return null;
        }
        return new double[] {none.medianMillis(), slow.medianMillis(), spec.medianMillis()};
    }

    static String ratios(final double[] v) {
        return String.format(Locale.ROOT, "1 / %.2fx / %.2fx", v[1] / v[0], v[2] / v[0]);
    }

    static String goal(final StreamResults results) {
        final StringBuilder out = new StringBuilder();
        for (final TextJob job : TextJob.values()) {
            final double[] m = measured(results, job);
            if (m == null) {
                continue;
            }
            final double ratio = m[2] / m[0];
            out.append(String.format(Locale.ROOT, "**Goal** (%s, straggler + speculation <= %.1fx no straggler): **%s** "
                + "(%.2fx).%n%n", job.label(), GOAL_RATIO, ratio <= GOAL_RATIO ? "met" : "not met", ratio));
        }
        return out.toString();
    }

    private static void saveCharts(final ReportFolder folder, final StreamResults results) {
        final List<String> configs = new ArrayList<>();
        for (final StragglerConfig config : StragglerConfig.values()) {
            configs.add(config.label());
        }
        final Map<String, List<Double>> ms = new LinkedHashMap<>();
        final Map<String, List<Double>> ratio = new LinkedHashMap<>();
        final List<String> cases = List.of("no straggler", "straggler", "straggler + speculation");
        for (final TextJob job : TextJob.values()) {
            final List<Double> values = new ArrayList<>();
            for (final StragglerConfig config : StragglerConfig.values()) {
                final StragglerRow row = results.straggler(job, config);
                values.add(row == null ? 0.0 : row.medianMillis());
            }
            ms.put(job.label(), values);
            final double[] m = measured(results, job);
            if (m != null) {
                ratio.put(job.label() + " measured", List.of(1.0, m[1] / m[0], m[2] / m[0]));
                final double[] p = PAPER.get(job);
                ratio.put(job.label() + " paper", List.of(1.0, p[1] / p[0], p[2] / p[0]));
            }
        }
        Plots.save(Plots.groupedBars("Batch processing time (median) per configuration", "", "ms", configs, ms), folder,
            "straggler");
        if (!ratio.isEmpty()) {
            Plots.save(Plots.groupedBars("Processing time relative to no straggler (work stealing) vs the D-Streams paper",
                "", "x no straggler", cases, ratio), folder, "straggler-ratio");
        }
    }

    static String csv(final List<StragglerRow> rows) {
        final CsvWriter csv = new CsvWriter("job", "configuration", "batch", "records", "processing_ns", "delay_ns");
        for (final StragglerRow row : rows) {
            final RunStats s = row.stats();
            for (int i = 0; i < s.batches(); i++) {
                csv.row(row.job().label(), row.config().label(), i, s.records()[i], s.processingNanos()[i], s.delaysNanos()[i]);
            }
        }
        return csv.toString();
    }
}
