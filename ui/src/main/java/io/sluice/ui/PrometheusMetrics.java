package io.sluice.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code /metrics}: the collectors' published state as Prometheus metric snapshots (the Prometheus Java client's
 * model), written in the Prometheus text format by its {@link PrometheusTextFormatWriter}. Units are base units
 * (seconds, bytes); counters get the {@code _total} suffix from the writer.
 */
final class PrometheusMetrics {
    /** Upper bounds (seconds) of the delay histograms' buckets; +Inf is added. */
    static final double[] DELAY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final StreamCollector stream;
    private final TimelineCollector timeline;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PrometheusMetrics(final StreamCollector stream, final TimelineCollector timeline) {
        this.stream = stream;
        this.timeline = timeline;
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, snapshots());
        } catch (final IOException ex) {
            throw new UncheckedIOException("writing metrics to memory failed", ex);
        }
        return out.toByteArray();
    }

    MetricSnapshots snapshots() {
        final List<MetricSnapshot> all = new ArrayList<>();
        if (stream != null) {
            all.add(CounterSnapshot.builder().name("sluice_stream_batches").help("Micro-batches processed, by outcome")
                .dataPoint(counter(stream.batchesCompleted(), "outcome", "completed"))
                .dataPoint(counter(stream.batchesFailed(), "outcome", "failed")).build());
            all.add(CounterSnapshot.builder().name("sluice_stream_records").help("Records in successfully processed micro-batches")
                .dataPoint(counter(stream.recordsProcessed())).build());
            final Histogram[] delays = stream.delays();
            all.add(histogram("sluice_stream_scheduling_delay_seconds", "Time a micro-batch waited before its jobs started",
                delays[StreamCollector.SCHEDULING], stream.sumNanos(StreamCollector.SCHEDULING)));
            all.add(histogram("sluice_stream_processing_time_seconds", "Time a micro-batch's jobs ran",
                delays[StreamCollector.PROCESSING], stream.sumNanos(StreamCollector.PROCESSING)));
            all.add(histogram("sluice_stream_total_delay_seconds", "Scheduling delay plus processing time of a micro-batch",
                delays[StreamCollector.TOTAL], stream.sumNanos(StreamCollector.TOTAL)));
            final StreamCollector.CheckpointStatus cp = stream.checkpoint();
            if (cp.writeAheadLog()) {
                all.add(CounterSnapshot.builder().name("sluice_stream_snapshots").help("Operator snapshots taken since start")
                    .dataPoint(counter(cp.snapshots())).build());
                all.add(GaugeSnapshot.builder().name("sluice_stream_last_snapshot_duration_seconds").unit(Unit.SECONDS)
                    .help("How long the newest operator snapshot took").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(Unit.nanosToSeconds(cp.lastSnapshotNanos())).build()).build());
            }
            final BatchPoint last = stream.latest();
            if (last != null) {
                all.add(gauge("sluice_stream_queued_batches", "Micro-batches cut and waiting for the job executor", last.queuedBatches()));
                all.add(gauge("sluice_stream_lag_records", "Records waiting over all inputs", last.lagRecords()));
                all.add(GaugeSnapshot.builder().name("sluice_stream_held_bytes").unit(Unit.BYTES)
                    .help("Payload bytes held over all inputs").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(last.heldBytes()).build()).build());
                all.add(gauge("sluice_stream_rate_limit_records_per_second", "Rate controllers' limit summed over inputs (+Inf: none)",
                    last.rateLimit()));
                if (last.stateKeys() >= 0) {
                    all.add(gauge("sluice_stream_state_keys", "Keys held by keyed-state operators", last.stateKeys()));
                }
            }
        }
        if (timeline != null) {
            all.add(CounterSnapshot.builder().name("sluice_scheduler_stages").help("Stages run, by outcome")
                .dataPoint(counter(timeline.stagesSucceeded(), "outcome", "succeeded"))
                .dataPoint(counter(timeline.stagesFailed(), "outcome", "failed")).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_tasks").help("Tasks of succeeded stages (each committed once)")
                .dataPoint(counter(timeline.tasksCompleted())).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_task_attempts")
                .help("Task attempts (split parts each count) run, by outcome (committed, lost to another attempt, failed)")
                .dataPoint(counter(timeline.total(WorkerLane.COMMITTED), "outcome", "committed"))
                .dataPoint(counter(timeline.total(WorkerLane.LOST), "outcome", "lost"))
                .dataPoint(counter(timeline.total(WorkerLane.FAILED), "outcome", "failed")).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_tasks_stolen").help("Task attempts taken from another worker")
                .dataPoint(counter(timeline.total(WorkerLane.STOLEN))).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_tasks_speculated").help("Speculative copies of stragglers run")
                .dataPoint(counter(timeline.total(WorkerLane.SPECULATIVE))).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_tasks_retried")
                .help("Failed task attempts (each retried while attempts remain)")
                .dataPoint(counter(timeline.total(WorkerLane.FAILED))).build());
            all.add(CounterSnapshot.builder().name("sluice_scheduler_worker_replacements")
                .help("Worker threads that died and were replaced")
                .dataPoint(counter(timeline.workerReplacements())).build());
            final CounterSnapshot.Builder busy = CounterSnapshot.builder().name("sluice_scheduler_worker_busy_seconds").unit(Unit.SECONDS)
                .help("Time each worker spent running task attempts");
            for (int w = 0; w < timeline.workers(); w++) {
                busy.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("worker", Integer.toString(w)))
                    .value(Unit.nanosToSeconds(timeline.lane(w).counter(WorkerLane.BUSY_NANOS))).build());
            }
            all.add(busy.build());
        }
        return new MetricSnapshots(all);
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(final long value, final String... labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build())
            .build();
    }

    /** Classic buckets counted exactly from the HdrHistogram's recorded values (each value in the first bucket >= it). */
    private static HistogramSnapshot histogram(final String name, final String help, final Histogram nanos, final long sumNanos) {
        final long[] counts = new long[DELAY_BUCKETS.length + 1];
        for (final HistogramIterationValue v : nanos.recordedValues()) {
            final double seconds = Unit.nanosToSeconds(nanos.highestEquivalentValue(v.getValueIteratedTo()));
            int b = 0;
            while (b < DELAY_BUCKETS.length && seconds > DELAY_BUCKETS[b]) {
                b++;
            }
            counts[b] += v.getCountAtValueIteratedTo();
        }
        final ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
        for (int b = 0; b < DELAY_BUCKETS.length; b++) {
            buckets.bucket(DELAY_BUCKETS[b], counts[b]);
        }
        buckets.bucket(Double.POSITIVE_INFINITY, counts[DELAY_BUCKETS.length]);
        return HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS).dataPoint(HistogramSnapshot.HistogramDataPointSnapshot
            .builder().classicHistogramBuckets(buckets.build()).sum(Unit.nanosToSeconds(sumNanos)).build()).build();
    }
}
