package io.sluice.bench.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;
import io.sluice.bench.report.ReportFolder;

/** The latency section of the stream-bench report: table, goal verdict, limits, {@code latency.csv}, plots. */
final class LatencyReport {
    /** The goal: p99 at most 5 ms ... */
    static final long GOAL_P99_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** ... at 1 ms batches ... */
    static final long GOAL_INTERVAL_MILLIS = 1;
    /** ... and 1M records/s. */
    static final double GOAL_RATE = 1e6;

    private LatencyReport() {
    }

    static String write(final ReportFolder folder, final StreamBenchPlan plan, final List<LatencyPoint> points) {
        folder.write("latency.csv", csv(points));
        final StringBuilder out = new StringBuilder("## 1. End-to-end latency\n\n");
        out.append("A producer thread offers rows one by one (a `QueueSource` `RowWriter`, the single-event API that "
            + "allocates nothing per row) at a paced rate (open loop: a late producer catches up in a burst); each row "
            + "carries `System.nanoTime()` at the offer in an INT64 column. A `StreamingContext` on the wall clock cuts a "
            + "micro-batch every interval; its "
            + "`DStreamGraph` output runs `filter(key < 512).groupBy(key).agg(count).count()` on the batch's 2 zero-copy "
            + "slices on a 2-worker work-stealing `ExecutionContext` (the path a user's job runs), then a second job "
            + "records, for every row, batch completion minus the row's receipt time in an HdrHistogram (3 significant "
            + "digits). Job `none` skips the Dataset work: the stream's own cost. `hand-off` is how the cut batch "
            + "reaches the job thread (`spin-park`: lock-free queue, the idle job thread spins a few microseconds then "
            + "parks; `job-cuts`: the idle job thread waits for the boundary itself, cuts the batch and runs it, the "
            + "generator's thread cutting only for a busy job thread; `blocking`: the earlier LinkedBlockingQueue); "
            + "several hand-offs run point by point, in turn. `dataset-caller-waits` is the Dataset job with the "
            + "scheduler's caller-runs off; `dataset-caller-first` the Dataset job with the job thread running each stage "
            + "alone for its first 300 us before it wakes the workers (`SchedulerConfig.callerWakeDelayNanos`). A hand-off "
            + "with `slice N us` is that hand-off with the stream's generator and job threads asking the Linux scheduler "
            + "for an N us slice (`StreamingContext.Builder.threadSlice`; without it the kernel's default). ");
        out.append(String.format(Locale.ROOT, "Per point: %.1f s warm-up (then up to as long again for a warm-up "
                + "backlog to drain), %.1f s measured. Rates step up until two in a row are not sustainable (the median "
                + "scheduling delay of the window's last third exceeds that of its first third by more than max(5 ms, "
                + "2 intervals), the median delay exceeds that bound, or the queue, which holds max(4 intervals, "
                + "0.5 s) of input, dropped rows); unsustainable points are marked.%n%n",
            plan.latencyWarmup().toMillis() / 1e3, plan.latencyMeasure().toMillis() / 1e3));
        out.append(table(points).render()).append('\n');
        out.append(breakdown(points)).append('\n');
        out.append(goal(points)).append('\n');
        out.append(limits(points)).append('\n');
        final List<Long> intervals = new ArrayList<>();
        for (final LatencyPoint p : points) {
            if (!intervals.contains(p.intervalMillis())) {
                intervals.add(p.intervalMillis());
            }
        }
        for (final long interval : intervals) {
            final List<Plots.Line> lines = lines(points, interval);
            if (!lines.isEmpty()) {
                final String name = "latency-" + interval + "ms";
                Plots.save(Plots.lines("End-to-end latency at " + interval + " ms batches", "input rate (thousand records/s)",
                    "latency (ms)", lines), folder, name);
                out.append("![").append(name).append("](").append(name).append(".png)\n");
            }
        }
        out.append("\nRaw data: `latency.csv`. Plots: `latency-<interval>ms.svg`/`.png` (p50, p99, p99.9 per job vs "
            + "input rate).\n\n");
        return out.toString();
    }

    static MarkdownTable table(final List<LatencyPoint> points) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "hand-off", "interval ms", "rate/s", "offered/s", "records/batch",
            "p50 ms", "p99 ms", "p99.9 ms", "max ms", "batch proc p50 ms", "batch proc p99 ms", "sched delay p99 ms",
            "GCs (ms)", "hiccup p99 / max ms", "sustainable").rightAligned(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        for (final LatencyPoint p : points) {
            final LatencyPercentiles l = p.latency();
            table.row(p.job(), p.handOffLabel(), p.intervalMillis(), p.targetRate(), p.offeredRate(), p.meanRecordsPerBatch(),
                StreamReport.ms(l.p50Nanos()), StreamReport.ms(l.p99Nanos()), StreamReport.ms(l.p999Nanos()),
                StreamReport.ms(l.maxNanos()), StreamReport.ms(p.processingP50Nanos()), StreamReport.ms(p.processingP99Nanos()),
                StreamReport.ms(p.delayP99Nanos()), p.gc().collections() + " (" + p.gc().millis() + ")",
                String.format(Locale.ROOT, "%.2f / %.1f", StreamReport.ms(p.hiccups().p99Nanos()),
                    StreamReport.ms(p.hiccups().maxNanos())),
                p.verdict().sustainable() ? "yes" : "**no**: " + p.verdict().reason());
        }
        return table;
    }

    /**
     * Per point: p50 / p99 of each phase of a batch (µs) and the heap bytes the stream's threads (generator, job thread,
     * workers) and the producer allocated, per batch and per record.
     */
    static String breakdown(final List<LatencyPoint> points) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "hand-off", "interval ms", "rate/s", "wake us", "cut us",
            "WAL us", "hand-off us", "stages us", "commit us", "stream B/batch", "stream B/record", "producer B/record");
        for (final LatencyPoint p : points) {
            final List<Object> row = new ArrayList<>(List.of(p.job(), p.handOffLabel(), p.intervalMillis(), p.targetRate()));
            for (final Breakdown.Phase phase : Breakdown.Phase.values()) {
                row.add(String.format(Locale.ROOT, "%.0f / %.0f", p.phases().p50(phase) / 1e3, p.phases().p99(phase) / 1e3));
            }
            row.add(String.format(Locale.ROOT, "%.0f", p.allocation().streamPerBatch()));
            row.add(String.format(Locale.ROOT, "%.2f", p.allocation().streamPerRecord()));
            row.add(String.format(Locale.ROOT, "%.1f", p.allocation().producerPerRecord()));
            table.row(row.toArray());
        }
        return "**Per-batch breakdown** (p50 / p99, microseconds): `wake` = how late the generator started the cut after "
            + "the interval boundary; `cut` = polling the source and cutting the received blocks; `WAL` = the "
            + "write-ahead log (none here: 0); `hand-off` = queued until the job thread started it (waiting behind an "
            + "earlier batch included); `stages` = the jobs; `commit` = after the jobs (log mark, rate controller, "
            + "release). A row's latency is at most one interval of waiting for the cut plus wake + cut + WAL + "
            + "hand-off + stages. Allocation: heap bytes from `ThreadMXBean.getThreadAllocatedBytes` over the "
            + "window, divided by the batches and the records of the window (-1: not measured).\n\n"
            + table.render();
    }

    /** The goal sentence: met, missed, or not reached (the stream gave up at a lower rate). */
    static String goal(final List<LatencyPoint> points) {
        final LatencyPoint at = find(points, "dataset", GOAL_INTERVAL_MILLIS, GOAL_RATE);
        final String head = "**Goal** (p99 <= 5 ms at 1 ms batches and 1M records/s, Dataset job): ";
        if (at == null) {
            final double max = maxSustainable(points, "dataset", GOAL_INTERVAL_MILLIS);
            return head + String.format(Locale.ROOT, "**not met**: 1M records/s was not reached; the highest sustainable "
                + "rate at 1 ms was %,.0f records/s.%n", max);
        }
        final boolean met = at.verdict().sustainable() && at.latency().p99AtMost(GOAL_P99_NANOS);
        return head + String.format(Locale.ROOT, "**%s**: p99 = %.3f ms, %s.%n", met ? "met" : "not met",
            StreamReport.ms(at.latency().p99Nanos()), at.verdict());
    }

    /** The figures that bound the 1 ms latency: fixed per-batch cost, the stream's own cost, cost per record. */
    static String limits(final List<LatencyPoint> points) {
        final StringBuilder out = new StringBuilder("**What bounds it** (1 ms batches):\n\n");
        final LatencyPoint lowest = first(points, "dataset", GOAL_INTERVAL_MILLIS);
        final LatencyPoint highest = lastSustainable(points, "dataset", GOAL_INTERVAL_MILLIS);
        final LatencyPoint streamOnly = lastSustainable(points, "none", GOAL_INTERVAL_MILLIS);
        if (lowest != null) {
            out.append(String.format(Locale.ROOT, "- Fixed cost of the Dataset job per batch: %.3f ms median processing "
                    + "at %,.0f records/s (%.0f records per batch): planning, two stages (partial aggregate, exchange, "
                    + "final aggregate), waking the 2 workers. Against a 1 ms interval this leaves %.0f%% of the "
                    + "executor's time for records.%n", StreamReport.ms(lowest.processingP50Nanos()), lowest.targetRate(),
                lowest.meanRecordsPerBatch(), Math.max(0, 100.0 * (1 - lowest.processingP50Nanos() / 1e6))));
        }
        if (lowest != null && highest != null && highest.meanRecordsPerBatch() > lowest.meanRecordsPerBatch()) {
            final double perRecord = (highest.processingP50Nanos() - lowest.processingP50Nanos())
                / (highest.meanRecordsPerBatch() - lowest.meanRecordsPerBatch());
            out.append(String.format(Locale.ROOT, "- Marginal cost per record (median processing between %,.0f and "
                + "%,.0f records/s): %.0f ns; fixed cost + 1,000 x that = %.3f ms per 1 ms batch at 1M records/s.%n",
                lowest.targetRate(), highest.targetRate(), perRecord,
                StreamReport.ms(lowest.processingP50Nanos()) + perRecord * 1000 / 1e6));
        }
        if (streamOnly != null) {
            out.append(String.format(Locale.ROOT, "- The stream alone (job `none`) sustained up to %,.0f records/s at "
                    + "1 ms with p99 = %.3f ms, batch processing p50 = %.3f ms: the per-row queue hand-off "
                    + "(the producer copies each row into the queue's slot, the generator appends it to a batch) is not the limit "
                    + "below that rate.%n", streamOnly.targetRate(), StreamReport.ms(streamOnly.latency().p99Nanos()),
                StreamReport.ms(streamOnly.processingP50Nanos())));
        }
        out.append("- Tail: a batch that takes longer than the interval delays every batch cut behind it, so p99 "
            + "follows `batch proc p99 ms` and any stall of the stream's threads. `hiccup` is a probe thread that parks "
            + "1 ms in a loop and records how late it wakes (as jHiccup does): it runs no stream code, so where its "
            + "max is as large as the latency's, the tail comes from the platform (GC, the other processes on the "
            + "2 cores), not from the stream.\n");
        final LatencyPoint goalPoint = find(points, "dataset", GOAL_INTERVAL_MILLIS, GOAL_RATE);
        if (goalPoint != null) {
            out.append(String.format(Locale.ROOT, "- At the goal point (1 ms, 1M records/s): latency p99 %.3f ms / max %.1f "
                    + "ms; batch processing p50 %.3f ms / p99 %.3f ms; GC %d collections (%d ms); hiccup p99 %.3f ms / "
                    + "max %.1f ms over the %.1f s window.%n",
                StreamReport.ms(goalPoint.latency().p99Nanos()), StreamReport.ms(goalPoint.latency().maxNanos()),
                StreamReport.ms(goalPoint.processingP50Nanos()), StreamReport.ms(goalPoint.processingP99Nanos()),
                goalPoint.gc().collections(), goalPoint.gc().millis(), StreamReport.ms(goalPoint.hiccups().p99Nanos()),
                StreamReport.ms(goalPoint.hiccups().maxNanos()),
                goalPoint.batches() * (double) GOAL_INTERVAL_MILLIS / 1e3));
        }
        return out.toString();
    }

    static List<Plots.Line> lines(final List<LatencyPoint> points, final long interval) {
        final List<Plots.Line> lines = new ArrayList<>();
        final List<String> series0 = new ArrayList<>();
        for (final LatencyPoint p : points) {
            final String name = seriesName(p);
            if (!series0.contains(name)) {
                series0.add(name);
            }
        }
        for (final String job : series0) {
            final List<LatencyPoint> series = new ArrayList<>();
            for (final LatencyPoint p : points) {
                final String name = seriesName(p);
                if (name.equals(job) && p.intervalMillis() == interval && p.latency().count() > 0) {
                    series.add(p);
                }
            }
            if (series.isEmpty()) {
                continue;
            }
            final double[] x = new double[series.size()];
            final double[] p50 = new double[series.size()];
            final double[] p99 = new double[series.size()];
            final double[] p999 = new double[series.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = series.get(i).targetRate() / 1e3;
                p50[i] = StreamReport.ms(series.get(i).latency().p50Nanos());
                p99[i] = StreamReport.ms(series.get(i).latency().p99Nanos());
                p999[i] = StreamReport.ms(series.get(i).latency().p999Nanos());
            }
            lines.add(new Plots.Line(job + " p50", x, p50));
            lines.add(new Plots.Line(job + " p99", x, p99));
            lines.add(new Plots.Line(job + " p99.9", x, p999));
        }
        return lines;
    }

    private static String seriesName(final LatencyPoint p) {
        return p.job() + (p.defaultVariant() ? "" : "/" + p.handOffLabel());
    }

    static String csv(final List<LatencyPoint> points) {
        final CsvWriter csv = new CsvWriter("job", "handoff", "interval_ms", "target_rate", "offered_rate", "batches", "records_per_batch",
            "latency_count", "p50_ns", "p99_ns", "p999_ns", "max_ns", "processing_p50_ns", "processing_p99_ns",
            "delay_p99_ns", "gc_count", "gc_ms", "hiccup_p99_ns", "hiccup_max_ns", "hiccup_lost_ns",
            "sustainable", "delay_growth_ns", "reason", "wake_p50_ns", "wake_p99_ns", "cut_p50_ns", "cut_p99_ns", "wal_p50_ns",
            "wal_p99_ns", "handoff_p50_ns", "handoff_p99_ns", "stages_p50_ns", "stages_p99_ns", "commit_p50_ns", "commit_p99_ns",
            "stream_alloc_bytes", "producer_alloc_bytes", "window_batches", "window_records", "thread_slice_ns");
        for (final LatencyPoint p : points) {
            final LatencyPercentiles l = p.latency();
            final Breakdown.Summary ph = p.phases();
            final Allocation a = p.allocation();
            csv.row(p.job(), p.handOffLabel(), p.intervalMillis(), p.targetRate(), p.offeredRate(), p.batches(), p.meanRecordsPerBatch(),
                l.count(), l.p50Nanos(), l.p99Nanos(), l.p999Nanos(), l.maxNanos(), p.processingP50Nanos(),
                p.processingP99Nanos(), p.delayP99Nanos(), p.gc().collections(), p.gc().millis(),
                p.hiccups().p99Nanos(),
                p.hiccups().maxNanos(), p.hiccups().lostNanos(),
                p.verdict().sustainable(), p.verdict().growthNanos(),
                p.verdict().reason(), ph.p50(Breakdown.Phase.WAKE), ph.p99(Breakdown.Phase.WAKE), ph.p50(Breakdown.Phase.CUT),
                ph.p99(Breakdown.Phase.CUT), ph.p50(Breakdown.Phase.WAL), ph.p99(Breakdown.Phase.WAL),
                ph.p50(Breakdown.Phase.HAND_OFF), ph.p99(Breakdown.Phase.HAND_OFF), ph.p50(Breakdown.Phase.STAGES),
                ph.p99(Breakdown.Phase.STAGES), ph.p50(Breakdown.Phase.COMMIT), ph.p99(Breakdown.Phase.COMMIT),
                a.streamBytes(), a.producerBytes(), a.batches(), a.records(), p.threadSliceNanos());
        }
        return csv.toString();
    }

    static LatencyPoint find(final List<LatencyPoint> points, final String job, final long interval, final double rate) {
        for (final LatencyPoint p : points) {
            if (p.job().equals(job) && p.defaultVariant() && p.intervalMillis() == interval
                && p.targetRate() == rate) {
                return p;
            }
        }
        return null;
    }

    static LatencyPoint first(final List<LatencyPoint> points, final String job, final long interval) {
        for (final LatencyPoint p : points) {
            if (p.job().equals(job) && p.defaultVariant() && p.intervalMillis() == interval) {
                return p;
            }
        }
        return null;
    }

    static LatencyPoint lastSustainable(final List<LatencyPoint> points, final String job, final long interval) {
        LatencyPoint last = null;
        for (final LatencyPoint p : points) {
            if (p.job().equals(job) && p.defaultVariant() && p.intervalMillis() == interval
                && p.verdict().sustainable()) {
                last = p;
            }
        }
        return last;
    }

    static double maxSustainable(final List<LatencyPoint> points, final String job, final long interval) {
        final LatencyPoint last = lastSustainable(points, job, interval);
        return last == null ? 0 : last.targetRate();
    }
}
