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

/** The throughput section of the stream-bench report: summary and steps tables, {@code throughput.csv}, plot. */
final class ThroughputReport {
    private ThroughputReport() {
    }

    static String write(final ReportFolder folder, final StreamReport.Context context, final StreamResults results) {
        final StreamBenchPlan plan = context.plan();
        final int cores = context.machine().cores();
        folder.write("throughput.csv", csv(results));
        final StringBuilder out = new StringBuilder("## 2. Sustained throughput: streaming word count and grep\n\n");
        out.append(String.format(Locale.ROOT, "Input: %,d fixed 100-byte text lines (`TextRecords`, seed %d: Zipf words), "
                + "offered in blocks of %d rows (zero-copy slices of one off-heap batch, `QueueSource.offerBatch`) at a "
                + "paced rate, cycled. %d ms batches; per batch the job runs as a `DStreamGraph` output on a 2-worker "
                + "work-stealing `ExecutionContext` over %d zero-copy slices, with no byte bound on the source queue or "
                + "the input (a slice counts its whole ~8 MB pool, so any byte budget would cap the search at a few "
                + "dozen blocks in flight whatever the CPU; the pool bounds the memory): word count = "
                + "`flatMap(split(line, \" \")).groupBy(word).agg(count).collect()`, grep = "
                + "`filter(line.contains(\"%s\")).count()`. The rate starts at %,.0f/s "
                + "and grows x%.2f until a run is not sustainable (same test as above), then the geometric midpoint is "
                + "tried; so the maximum below is within x%.2f of the true one. %.1f s warm-up, %.1f s measured per "
                + "step. Baseline, same JVM, same run: the same work on the same lines as a `String[]` in plain Java, "
                + "one thread and `parallelStream` (common pool, %d cores), %.1f s each after %.1f s warm-up.%n%n",
            StreamBenchPlan.TEXT_LINES, StreamBenchPlan.TEXT_SEED, ThroughputBench.BLOCK_ROWS, plan.throughputInterval(),
            ThroughputBench.PARTITIONS, context.needle(), plan.throughputStart(), plan.throughputStep(),
            Math.sqrt(plan.throughputStep()), plan.throughputWarmup().toMillis() / 1e3,
            plan.throughputMeasure().toMillis() / 1e3, cores, plan.baselineMeasure().toMillis() / 1e3,
            plan.baselineWarmup().toMillis() / 1e3));
        final MarkdownTable summary = MarkdownTable.withHeader("job", "Sluice stream max records/s", "per core",
            "java 1 thread records/s", "java parallelStream records/s", "Sluice / 1 thread", "Sluice / parallelStream")
            .rightAligned(1, 2, 3, 4, 5, 6);
        final List<String> categories = new ArrayList<>();
        final Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("Sluice stream", new ArrayList<>());
        series.put(JavaBaseline.Mode.SINGLE_THREAD.label(), new ArrayList<>());
        series.put(JavaBaseline.Mode.PARALLEL_STREAM.label(), new ArrayList<>());
        for (final TextJob job : TextJob.values()) {
            if (!results.maxSustainable.containsKey(job)) {
                continue;
            }
            final double sluice = results.maxSustainable.get(job);
            final double single = rate(results.baseline(job, JavaBaseline.Mode.SINGLE_THREAD));
            final double parallel = rate(results.baseline(job, JavaBaseline.Mode.PARALLEL_STREAM));
            summary.row(job.label(), sluice, sluice / cores, single, parallel, sluice / single, sluice / parallel);
            categories.add(job.label());
            series.get("Sluice stream").add(sluice / 1e6);
            series.get(JavaBaseline.Mode.SINGLE_THREAD.label()).add(single / 1e6);
            series.get(JavaBaseline.Mode.PARALLEL_STREAM.label()).add(parallel / 1e6);
        }
        out.append(summary.render()).append('\n');
        if (!categories.isEmpty()) {
            Plots.save(Plots.groupedBars("Sustained records/s: Sluice stream vs plain Java", "job", "million records/s",
                categories, series), folder, "throughput");
            out.append("![throughput](throughput.png)\n\n");
        }
        out.append("Every step of the search:\n\n").append(steps(results.throughput).render()).append('\n');
        out.append("`per core` divides by the machine's cores (the stream's producer, generator and executor threads and "
            + "the 2 workers all share them). The plain-Java figures are the ceiling for this work with no batching, "
            + "no off-heap copy and no scheduling; the ratio is what streaming costs here. Raw data: "
            + "`throughput.csv`.\n\n");
        return out.toString();
    }

    private static double rate(final JavaBaseline.Result result) {
        return result == null ? Double.NaN : result.recordsPerSecond();
    }

    static MarkdownTable steps(final List<RatePoint> points) {
        final MarkdownTable table = MarkdownTable.withHeader("job", "rate/s", "offered/s", "batch proc p50 ms",
            "batch proc max ms", "sched delay p99 ms", "verdict").rightAligned(1, 2, 3, 4, 5);
        for (final RatePoint p : points) {
            table.row(p.job(), p.targetRate(), p.stats().offeredRate(), StreamReport.ms(p.stats().processingQuantileNanos(0.5)),
                StreamReport.ms(p.stats().processingQuantileNanos(1.0)), StreamReport.ms(p.stats().delayQuantileNanos(0.99)),
                p.stats().verdict().toString());
        }
        return table;
    }

    static String csv(final StreamResults results) {
        final CsvWriter csv = new CsvWriter("kind", "job", "interval_ms", "target_rate", "records_per_second", "batches",
            "processing_p50_ns", "delay_p99_ns", "sustainable", "reason");
        for (final RatePoint p : results.throughput) {
            csv.row("stream", p.job(), p.intervalMillis(), p.targetRate(), p.stats().offeredRate(), p.stats().batches(),
                p.stats().processingQuantileNanos(0.5), p.stats().delayQuantileNanos(0.99), p.sustainable(),
                p.stats().verdict().reason());
        }
        for (final StreamResults.JavaBaselineRow row : results.baselines) {
            csv.row(row.result().mode().label(), row.job().label(), "", "", row.result().recordsPerSecond(), "", "", "", "", "");
        }
        return csv.toString();
    }
}
