package io.sluice.bench.stream;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Int64Vector;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency of one (job, interval, rate) point on the wall clock: a {@link PacedProducer} offers
 * timestamped rows ({@link TimestampEmitter}) one by one to a {@link QueueSource}; each measured micro-batch runs
 * the job, then every row's latency (batch completion minus the row's receipt timestamp) goes into an HdrHistogram.
 */
public final class LatencyBench {
    /** The per-batch work. */
    public enum Job {
        /** Filter (key below half the keys), then groupBy(key).count() through the Dataset API, 2 partitions. */
        DATASET("dataset"),
        /** No Dataset work: the stream's own cost (queue, cut, hand-off) and the latency recording. */
        NONE("none");

        private final String label;

        Job(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Workers of the execution context: the machine's 2 cores. */
    static final int WORKERS = 2;
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MIN_QUEUE = 1 << 16;
    private static final int MAX_QUEUE = 1 << 22;
    private static final long STALL_MILLIS = 500;

    private LatencyBench() {
    }

    /**
     * Queue capacity for a rate and interval: four intervals or half a second of input, whichever is more, so a
     * generator stalled by GC or by other processes for a few hundred milliseconds does not drop rows.
     */
    static int queueCapacity(final double rate, final long intervalMillis) {
        final double rows = rate * Math.max(intervalMillis * 4, STALL_MILLIS) / 1000.0;
        return (int) Math.max(MIN_QUEUE, Math.min(MAX_QUEUE, Math.ceil(rows)));
    }

    /** Runs one point: warm-up, measured window, graceful stop. */
    public static LatencyPoint run(final Job job, final long intervalMillis, final double rate, final Duration warmup,
                                   final Duration measure) throws InterruptedException {
        return run(job, intervalMillis, rate, warmup, measure, (streaming, exec) -> { });
    }

    /**
     * As {@link #run(Job, long, double, Duration, Duration)}, handing both contexts to {@code beforeStart} just
     * before the stream starts (e.g. to attach a dashboard, which the stream's stop then closes).
     */
    public static LatencyPoint run(final Job job, final long intervalMillis, final double rate, final Duration warmup,
                                   final Duration measure, final BiConsumer<StreamingContext, ExecutionContext> beforeStart)
        throws InterruptedException {
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        final RunStats stats;
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("latency", WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator)) {
            final QueueSource source = QueueSource.create("events", TimestampEmitter.SCHEMA, queueCapacity(rate, intervalMillis));
            stats = StreamRun.run(new StreamRun.Settings(intervalMillis, rate, warmup, measure), BackpressureConfig.unlimitedRate(),
                allocator, source,
                new TimestampEmitter(source), (batchTime, batch) -> {
                    if (job == Job.DATASET) {
                        MicroBatchDataset.of(exec, batch, WORKERS, PartitionCost.NONE)
                            .filter(col("key").lt(lit(TimestampEmitter.KEYS / 2)))
                            .groupBy("key").agg(Agg.count())
                            .count();
                    }
                    recordLatencies(latency, batch, System.nanoTime());
                }, context -> beforeStart.accept(context, exec));
        }
        return new LatencyPoint(job.label(), intervalMillis, rate, stats.offeredRate(), LatencyPercentiles.of(latency),
            stats.batches(), stats.meanRecordsPerBatch(), stats.processingQuantileNanos(0.5),
            stats.processingQuantileNanos(0.99), stats.delayQuantileNanos(0.99), stats.gc(), stats.hiccups(),
            stats.verdict());
    }

    /** Records {@code done - received_ns} of every row (column 0) in {@code latency}; allocates nothing. */
    static void recordLatencies(final Histogram latency, final Batch batch, final long done) {
        final Int64Vector received = batch.int64Vector(0);
        final int rows = batch.rowCount();
        for (int r = 0; r < rows; r++) {
            latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_NANOS, done - received.get(r))));
        }
    }
}
