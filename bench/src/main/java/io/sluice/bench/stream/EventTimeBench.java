package io.sluice.bench.stream;

import static io.sluice.engine.stream.eventtime.EventTimeWindow.hopping;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.session;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.tumbling;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;

import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * {@code scripts/event-time-bench}: (1) throughput of a tumbling 1 s count per key by event time (watermark,
 * off-heap window state) against the same count as a batch-time window ({@code window(1 s, 1 s).countByKey}) in the
 * same JVM, alternating runs over the same generated rows on a manual clock (as fast as the stream goes); (2) latency
 * from a record's arrival to the emission of its window's row at 10 ms batches on the wall clock, in update mode
 * (1 s windows: every batch emits the windows it changed) and append mode (10 ms windows, no lateness: a window's row
 * comes once the watermark passes its end). Writes {@code perf-reports/YYYY-MM-DD-event-time[-quick][-N]}.
 */
public final class EventTimeBench {
    private static final Schema ROWS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("word", ColumnType.UTF8));
    private static final Schema ARRIVALS = Schema.of(Field.notNull("received_ns", ColumnType.INT64),
        Field.notNull("key", ColumnType.INT32), Field.notNull("ts", ColumnType.INT64));
    private static final int WORKERS = 2;
    private static final int KEYS = 1024;
    private static final double RATE = 1_000_000;
    private static final long INTERVAL = 100;
    private static final long LATENCY_INTERVAL = 10;
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** One job of the throughput comparison: each event-time job, then the batch-time window it is compared with. */
    enum Job {
        EVENT_TUMBLING("event time: groupByWindow(tumbling 1 s).agg(count)"),
        BATCH_TUMBLING("batch time: window(1 s, 1 s).countByKey"),
        EVENT_HOPPING("event time: groupByWindow(hopping 2 s / 1 s).agg(count)"),
        BATCH_HOPPING("batch time: window(2 s, 1 s).countByKey"),
        EVENT_SESSION("event time: groupByWindow(session gap 1 s).agg(count), update mode");

        final String label;

        Job(final String label) {
            this.label = label;
        }

        /** The batch-time job this event-time job is compared with (sessions: the tumbling window); null for batch jobs. */
        Job baseline() {
            switch (this) {
                case EVENT_TUMBLING:
                case EVENT_SESSION:
                    return BATCH_TUMBLING;
                case EVENT_HOPPING:
                    return BATCH_HOPPING;
                default:
                    return null;
            }
        }
    }

    private EventTimeBench() {
    }

    public static void main(final String[] args) throws Exception {
        final boolean quick = Arrays.asList(args).contains("--quick");
        final int jfrAt = Arrays.asList(args).indexOf("--jfr");
        final Path jfr = jfrAt >= 0 && jfrAt + 1 < args.length ? Path.of(args[jfrAt + 1]) : null;
        final long records = quick ? 2_000_000 : 5_000_000;
        final int rounds = quick ? 2 : 5;
        final double latencyRate = 100_000;
        final Duration warmup = Duration.ofSeconds(quick ? 1 : 3);
        final Duration measure = Duration.ofSeconds(quick ? 3 : 10);
        final String command = System.getProperty(StreamBench.COMMAND_PROPERTY, "scripts/event-time-bench " + String.join(" ", args));
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final double loadBefore = RunLoad.loadAverage();
        final long cpuBefore = processCpuNanos();
        final long wallBefore = System.nanoTime();
        final Map<Job, List<Double>> rates = new HashMap<>();
        final Map<Job, List<Double>> cpuRates = new HashMap<>();
        for (final Job job : Job.values()) {
            rates.put(job, new ArrayList<>());
            cpuRates.put(job, new ArrayList<>());
            throughput(job, records);     // warm-up, not recorded
        }
        for (int round = 0; round < rounds; round++) {
            final List<Job> order = new ArrayList<>(List.of(Job.values()));
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (final Job job : order) {
                final double[] r = jfr == null ? throughput(job, records)
                    : profiled(job, records, jfr.resolve(job + "-" + round + ".jfr"));
                rates.get(job).add(r[0]);
                cpuRates.get(job).add(r[1]);
                System.err.printf(Locale.ROOT, "throughput round %d %s: %,.0f records/s, %,.0f records per CPU second%n", round,
                    job, r[0], r[1]);
            }
        }
        final Histogram update = latency(OutputMode.UPDATE, latencyRate, warmup, measure);
        final Histogram append = latency(OutputMode.APPEND, latencyRate, warmup, measure);
        final double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        final double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        final double loadAfter = RunLoad.loadAverage();
        final ReportFolder folder = ReportFolder.create(Path.of("perf-reports"), quick ? "event-time-quick" : "event-time");
        final CsvWriter csv = new CsvWriter("section", "job", "round", "value");
        for (final Job job : Job.values()) {
            for (int i = 0; i < rates.get(job).size(); i++) {
                csv.row("throughput_records_per_s", job.name().toLowerCase(Locale.ROOT), i, rates.get(job).get(i));
                csv.row("records_per_cpu_s", job.name().toLowerCase(Locale.ROOT), i, cpuRates.get(job).get(i));
            }
        }
        for (final double q : new double[] {50, 90, 99, 99.9, 100}) {
            csv.row("latency_ms_p" + q, "update", 0, update.getValueAtPercentile(q) / 1e6);
            csv.row("latency_ms_p" + q, "append", 0, append.getValueAtPercentile(q) / 1e6);
        }
        final MarkdownTable tput = MarkdownTable.withHeader("job", "median records/s", "min", "max",
            "median records per CPU second", "runs").rightAligned(1, 2, 3, 4, 5);
        for (final Job job : Job.values()) {
            final List<Double> r = rates.get(job);
            tput.row(job.label, median(r), r.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                r.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(cpuRates.get(job)), r.size());
        }
        final MarkdownTable ratios = MarkdownTable.withHeader("event-time job / batch-time job", "records/s (medians)",
            "records per CPU second (medians)").rightAligned(1, 2);
        final StringBuilder summary = new StringBuilder();
        for (final Job job : Job.values()) {
            if (job.baseline() == null) {
                continue;
            }
            final double wall = median(rates.get(job)) / median(rates.get(job.baseline()));
            final double cpu = median(cpuRates.get(job)) / median(cpuRates.get(job.baseline()));
            ratios.row(job.name().toLowerCase(Locale.ROOT) + " / " + job.baseline().name().toLowerCase(Locale.ROOT),
                String.format(Locale.ROOT, "%.2fx", wall), String.format(Locale.ROOT, "%.2fx", cpu));
            csv.row("ratio_records_per_s", job.name().toLowerCase(Locale.ROOT), 0, wall);
            csv.row("ratio_records_per_cpu_s", job.name().toLowerCase(Locale.ROOT), 0, cpu);
            summary.append(String.format(Locale.ROOT, "%s %.2fx (CPU %.2fx), ", job.name().toLowerCase(Locale.ROOT), wall, cpu));
        }
        folder.write("results.csv", csv.toString());
        final MarkdownTable lat = MarkdownTable.withHeader("mode", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "records")
            .rightAligned(1, 2, 3, 4, 5, 6);
        lat.row("update (tumbling 1 s, lateness 1 s)", ms(update, 50), ms(update, 90), ms(update, 99), ms(update, 99.9),
            ms(update, 100), update.getTotalCount());
        lat.row("append (tumbling 10 ms, lateness 0)", ms(append, 50), ms(append, 90), ms(append, 99), ms(append, 99.9),
            ms(append, 100), append.getTotalCount());
        final String readme = "# Event time: throughput against batch-time windows, arrival-to-emission latency\n\n"
            + "Command: `" + command + "`\n\n" + machine.toMarkdown() + "\n"
            + String.format(Locale.ROOT, "Load average (1 min) before %.2f, after %.2f; process CPU time %.1f s over %.1f s wall "
                + "(%.2f cores busy on average).%n%n", loadBefore, loadAfter, cpuSeconds, wallSeconds, cpuSeconds / wallSeconds)
            + "## 1. Throughput: tumbling count per key, event time vs batch time (same run)\n\n"
            + String.format(Locale.ROOT, "%,d generated rows `(ts INT64, word UTF8)`, %d distinct words, per run; a manual clock "
                + "advanced %d ms per batch and the next advance waits for the batch (so the stream runs as fast as it can); "
                + "%,.0f rows per stream second, event time advancing at the same rate with 10%% of the rows up to 200 ms early. "
                + "Event time: `withWatermark(ts, 500 ms).groupByWindow(<window>, word).agg(count())` with tumbling(ts, 1 s) "
                + "and hopping(ts, 2 s, 1 s) in append mode, session(ts, 1 s) in update mode (every word recurs within the "
                + "gap, so its session never closes). Batch time: `window(1 s, 1 s)` and "
                + "`window(2 s, 1 s)` `.countByKey(word)` (sessions have no batch-time twin: they are compared with the "
                + "tumbling window). All on a %d-worker work-stealing context, outputs collected. One warm-up run each, then "
                + "%d rounds, every other one in reverse job order; rate = rows / wall time of the run.%n%n",
                records, KEYS, INTERVAL, RATE, WORKERS, rounds)
            + tput.render() + "\n"
            + ratios.render() + "\n"
            + "Target: >= 0.8x. Records per CPU second divides by the whole process's CPU time during the run (all "
                + "threads: generator, job thread, workers), the figure a loaded machine distorts least.\n\n"
            + "## 2. Latency from arrival to window emission at 10 ms batches\n\n"
            + String.format(Locale.ROOT, "A paced producer offers %,.0f rows/s `(received_ns, key of %d, ts = wall millis)` "
                + "one by one to a queue source; %d ms batches on the wall clock; %.0f s warm-up, %.0f s measured. A record's "
                + "latency is the time its window's row is handed to the output (System.nanoTime) minus its receipt. In "
                + "update mode that is the end of its own batch; in append mode the window must first close (the "
                + "watermark, the newest event time, passes its end: a later row of a later batch), so about a window "
                + "plus a batch more.%n%n", latencyRate, KEYS, LATENCY_INTERVAL, warmup.toSeconds() * 1.0, measure.toSeconds() * 1.0)
            + lat.render() + "\n"
            + "Raw figures: `results.csv`. Timings are from a shared machine: compare figures of this run only.\n";
        folder.write("README.md", readme);
        System.out.printf(Locale.ROOT, "event-time-bench: event/batch throughput %supdate p99 %.2f ms, append p99 %.2f ms; "
            + "report: %s%n", summary, ms(update, 99), ms(append, 99), folder.path());
    }

    private static double ms(final Histogram h, final double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static double median(final List<Double> values) {
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long processCpuNanos() {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** {@link #throughput} under a JFR recording (the "profile" settings) written to {@code file}. */
    private static double[] profiled(final Job job, final long records, final Path file) throws Exception {
        java.nio.file.Files.createDirectories(file.getParent());
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            recording.start();
            final double[] r = throughput(job, records);
            recording.stop();
            recording.dump(file);
            return r;
        }
    }

    /** One throughput run of {@code records} generated rows; returns records per wall second and per CPU second. */
    static double[] throughput(final Job job, final long records) throws InterruptedException {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final long[] emitted = new long[1];
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("event-time-bench", WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator);
             StreamingContext streaming = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
                 .clock(clock).progressLogInterval(Duration.ofHours(1)).build();
             DStreamGraph graph = DStreamGraph.on(streaming, exec)) {
            final GeneratorSource source = GeneratorSource.builder("rows", ROWS).ratePerSecond(RATE).vocabulary(KEYS)
                .eventTime("ts", 0, RATE).disorder(200, 0.1).recordLimit(records).build();
            final DStream rows = graph.stream(streaming.input(source));
            final DStream counts = counts(job, rows);
            counts.foreachBatch((time, dataset) -> emitted[0] += dataset.collect().size());
            streaming.start();
            final int batches = (int) Math.ceil(records / (RATE * INTERVAL / 1000));
            final long start = System.nanoTime();
            final long cpuStart = processCpuNanos();
            for (int b = 1; b <= batches; b++) {
                clock.advanceMillis(INTERVAL);
                if (!streaming.awaitBatchCompleted(INTERVAL * b, Duration.ofMinutes(2))) {
                    throw new IllegalStateException(job + ": batch " + b + " did not complete; failure=" + streaming.failure());
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            if (source.producedRecords() != records || emitted[0] == 0) {
                throw new IllegalStateException(job + ": produced " + source.producedRecords() + " of " + records
                    + " rows, emitted " + emitted[0] + " window rows");
            }
            return new double[] {records / seconds, records / cpuSeconds};
        }
    }

    private static DStream counts(final Job job, final DStream rows) {
        final Duration second = Duration.ofSeconds(1);
        switch (job) {
            case EVENT_TUMBLING:
                return rows.withWatermark("ts", Duration.ofMillis(500)).groupByWindow(tumbling("ts", second), "word").agg(Agg.count());
            case EVENT_HOPPING:
                return rows.withWatermark("ts", Duration.ofMillis(500)).groupByWindow(hopping("ts", second.multipliedBy(2), second),
                    "word").agg(Agg.count());
            case EVENT_SESSION:
                // Every key recurs within the gap, so no session ever closes: update mode emits the changed ones per batch.
                return rows.withWatermark("ts", Duration.ofMillis(500)).groupByWindow(session("ts", second), "word")
                    .outputMode(OutputMode.UPDATE).agg(Agg.count());
            case BATCH_TUMBLING:
                return rows.window(second, second).countByKey("word");
            default:
                return rows.window(second.multipliedBy(2), second).countByKey("word");
        }
    }

    /** Arrival-to-emission latency of every record whose window was emitted in the measured window. */
    static Histogram latency(final OutputMode mode, final double rate, final Duration warmup, final Duration measure)
        throws InterruptedException {
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        final boolean append = mode == OutputMode.APPEND;
        final long windowMillis = append ? LATENCY_INTERVAL : 1000;
        final Map<Long, LongArrayList> arrivalsByWindow = new HashMap<>();
        final LongArrayList thisBatch = new LongArrayList();
        final AtomicBoolean measuring = new AtomicBoolean();
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("event-time-latency", WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator);
             StreamingContext streaming = StreamingContext.builder().batchInterval(Duration.ofMillis(LATENCY_INTERVAL))
                 .allocator(allocator).progressLogInterval(Duration.ofHours(1)).build();
             DStreamGraph graph = DStreamGraph.on(streaming, exec)) {
            final QueueSource source = QueueSource.create("arrivals", ARRIVALS, LatencyBench.queueCapacity(rate, LATENCY_INTERVAL));
            final DStream rows = graph.stream(streaming.input(source));
            // Registered first, so it runs before the window's output of the same batch.
            rows.foreachBatch((time, dataset) -> {
                thisBatch.clear();
                for (final Batch batch : DatasetBatches.materialize(dataset)) {
                    try {
                        final Int64Vector received = batch.int64Vector(0);
                        final Int64Vector ts = batch.int64Vector(2);
                        for (int r = 0; r < batch.rowCount(); r++) {
                            if (append) {
                                arrivalsByWindow.computeIfAbsent(Math.floorDiv(ts.get(r), windowMillis) * windowMillis,
                                    w -> new LongArrayList()).addLong(received.get(r));
                            } else {
                                thisBatch.addLong(received.get(r));
                            }
                        }
                    } finally {
                        batch.release();
                    }
                }
            });
            rows.withWatermark("ts", Duration.ofMillis(append ? 0 : 1000))
                .groupByWindow(tumbling("ts", Duration.ofMillis(windowMillis)), "key").outputMode(mode).agg(Agg.count())
                .foreachBatch((time, dataset) -> {
                    final List<Object[]> out = dataset.collect();
                    final long now = System.nanoTime();
                    if (!measuring.get()) {
                        arrivalsByWindow.clear();
                        return;
                    }
                    if (append) {
                        for (final Object[] row : out) {
                            final LongArrayList arrivals = arrivalsByWindow.remove((Long) row[0]);
                            for (int i = 0; arrivals != null && i < arrivals.size(); i++) {
                                latency.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(0, now - arrivals.getLong(i))));
                            }
                        }
                    } else {
                        for (int i = 0; i < thisBatch.size(); i++) {
                            latency.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(0, now - thisBatch.getLong(i))));
                        }
                    }
                });
            streaming.start();
            try (PacedProducer producer = PacedProducer.start(rate, new Emitter() {
                @Override
                public int unit() {
                    return 1;
                }

                @Override
                public QueueSource.Offer emit(final long sequence) {
                    return source.offerRow(System.nanoTime(), (int) (sequence % KEYS), System.currentTimeMillis());
                }
            }, "event-time-producer")) {
                StreamRun.sleep(warmup);
                measuring.set(true);
                StreamRun.sleep(measure);
                measuring.set(false);
                System.err.printf(Locale.ROOT, "latency %s: offered %,d rows, dropped %,d (queue full)%n", mode,
                    producer.accepted(), producer.dropped());
            }
            streaming.stop(true);
        }
        return latency;
    }
}
