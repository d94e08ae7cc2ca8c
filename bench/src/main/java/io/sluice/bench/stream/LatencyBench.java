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
import io.sluice.engine.stream.HandOff;
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
        /** Filter (key below half the keys), then groupBy(key).count(): a DStream graph output over 2 zero-copy slices. */
        DATASET("dataset"),
        /**
         * The same Dataset job with the scheduler's caller-runs off: the job thread only waits for the workers (the
         * behaviour before caller-runs), for a before/after in one run.
         */
        DATASET_CALLER_WAITS("dataset-caller-waits"),
        /**
         * The same Dataset job with caller-runs, the job thread running each stage alone for its first
         * {@link #CALLER_FIRST_NANOS} before it wakes the workers ({@code SchedulerConfig.callerWakeDelayNanos}): a
         * small batch's stages then wake no thread.
         */
        DATASET_CALLER_FIRST("dataset-caller-first"),
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

    /** How long the job thread runs a stage alone before waking the workers, for {@link Job#DATASET_CALLER_FIRST}. */
    static final long CALLER_FIRST_NANOS = 300_000;
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

    /** Runs one point with the default hand-off: warm-up, measured window, graceful stop. */
    public static LatencyPoint run(final Job job, final long intervalMillis, final double rate, final Duration warmup,
                                   final Duration measure) throws InterruptedException {
        return run(job, HandOff.SPIN_THEN_PARK, 0, intervalMillis, rate, warmup, measure, (streaming, exec) -> { });
    }

    /**
     * Runs one point with {@code handOff}, the stream's generator and job threads asking for a scheduler slice of
     * {@code threadSliceNanos} (0: the kernel's default).
     */
    public static LatencyPoint run(final Job job, final HandOff handOff, final long threadSliceNanos, final long intervalMillis,
                                   final double rate, final Duration warmup, final Duration measure) throws InterruptedException {
        return run(job, handOff, threadSliceNanos, intervalMillis, rate, warmup, measure, (streaming, exec) -> { });
    }

    /**
     * As {@link #run(Job, HandOff, long, long, double, Duration, Duration)}, handing both contexts to {@code beforeStart}
     * just before the stream starts (e.g. to attach a dashboard, which the stream's stop then closes). The Dataset job
     * runs as a user's job does: a {@link io.sluice.engine.stream.dstream.DStreamGraph} output over zero-copy slices
     * of the batch; a second job then records every row's latency.
     */
    public static LatencyPoint run(final Job job, final HandOff handOff, final long threadSliceNanos, final long intervalMillis,
                                   final double rate, final Duration warmup, final Duration measure,
                                   final BiConsumer<StreamingContext, ExecutionContext> beforeStart) throws InterruptedException {
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        final RunStats stats;
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("latency", WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator, job != Job.DATASET_CALLER_WAITS,
                 job == Job.DATASET_CALLER_FIRST ? CALLER_FIRST_NANOS : 0)) {
            final QueueSource source = QueueSource.create("events", TimestampEmitter.SCHEMA, queueCapacity(rate, intervalMillis));
            final StreamRun.Wiring work = StreamRun.graph(exec, WORKERS, (batchTime, dataset) -> dataset
                .filter(col("key").lt(lit(TimestampEmitter.KEYS / 2)))
                .groupBy("key").agg(Agg.count())
                .count());
            final StreamRun.Wiring record = StreamRun.rawBatches((batchTime, batch) -> recordLatencies(latency, batch, System.nanoTime()));
            stats = StreamRun.run(new StreamRun.Settings(intervalMillis, rate, warmup, measure), BackpressureConfig.unlimitedRate(),
                handOff, threadSliceNanos, allocator, source, new TimestampEmitter(source), (context, input, window) -> {
                    if (job != Job.NONE) {
                        work.wire(context, input, window);
                    }
                    record.wire(context, input, window);
                    beforeStart.accept(context, exec);
                });
        }
        return new LatencyPoint(job.label(), intervalMillis, rate, stats.offeredRate(), LatencyPercentiles.of(latency),
            stats.batches(), stats.meanRecordsPerBatch(), stats.processingQuantileNanos(0.5),
            stats.processingQuantileNanos(0.99), stats.delayQuantileNanos(0.99), stats.gc(), stats.hiccups(),
            stats.verdict(), handOff, stats.breakdown().summary(), stats.allocation(), threadSliceNanos);
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
