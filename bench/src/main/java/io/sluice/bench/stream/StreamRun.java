package io.sluice.bench.stream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.BatchJob;
import io.sluice.engine.stream.HandOff;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.dstream.DatasetJob;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;

/**
 * One wall-clock streaming run: a {@link StreamingContext} over one {@link QueueSource} fed by a
 * {@link PacedProducer} at a fixed rate, a job per batch, a warm-up, then a measured window. The job runs only on
 * batches cut inside the window (later ones are skipped, so the graceful stop drains a backlog quickly); the
 * scheduling delay, processing time and records of each measured batch are collected from the listener.
 */
public final class StreamRun {
    private static final String PRODUCER_THREAD = "sluice-bench-producer";
    private static final String STREAM_THREADS = "sluice-stream-";
    private static final String WORKER_THREADS = "sluice-worker-";

    private StreamRun() {
    }

    /** The run's settings. */
    public record Settings(long intervalMillis, double rate, Duration warmup, Duration measure) {
        public Settings {
            if (intervalMillis < 1 || !(rate > 0) || warmup.isNegative() || measure.isNegative() || measure.isZero()) {
                throw new IllegalArgumentException("intervalMillis=" + intervalMillis + " (>= 1) rate=" + rate + " (> 0) warmup="
                    + warmup + " (>= 0) measure=" + measure + " (> 0)");
            }
        }
    }

    /**
     * Registers the measured work on a context before it starts: a job should work only on batch times the
     * {@code window} contains (later ones are skipped, so the graceful stop drains a backlog quickly).
     */
    @FunctionalInterface
    interface Wiring {
        void wire(StreamingContext context, StreamInput input, Window window);
    }

    /**
     * Runs {@code job} on every measured batch of a stream over {@code source}, fed through {@code emitter} at
     * {@code settings.rate()} records/s. The context is stopped gracefully on return; the caller owns the source's
     * allocator (the one given) and closes it after.
     */
    public static RunStats run(final Settings settings, final BufferAllocator allocator, final QueueSource source,
                               final Emitter emitter, final BatchJob job) throws InterruptedException {
        return run(settings, BackpressureConfig.unlimitedRate(), allocator, source, emitter, job);
    }

    /** As {@link #run(Settings, BufferAllocator, QueueSource, Emitter, BatchJob)} with a backpressure config. */
    public static RunStats run(final Settings settings, final BackpressureConfig backpressure, final BufferAllocator allocator,
                               final QueueSource source, final Emitter emitter, final BatchJob job) throws InterruptedException {
        return run(settings, backpressure, HandOff.SPIN_THEN_PARK, 0, allocator, source, emitter, rawBatches(job));
    }

    /** The raw {@code foreachBatch} path: {@code job} gets each measured input batch. */
    static Wiring rawBatches(final BatchJob job) {
        return (context, input, window) -> context.foreachBatch(input, (batchTime, batch) -> {
            if (window.contains(batchTime)) {
                job.process(batchTime, batch);
            }
        });
    }

    /**
     * The path a user's job runs: a {@link DStreamGraph} on {@code exec} over the input ({@code partitions} zero-copy
     * slices per batch), {@code job} as its output operation on each measured batch time.
     */
    static Wiring graph(final ExecutionContext exec, final int partitions, final DatasetJob job) {
        return (context, input, window) -> DStreamGraph.on(context, exec).partitions(partitions).stream(input)
            .foreachBatch((batchTime, dataset) -> {
                if (window.contains(batchTime)) {
                    job.process(batchTime, dataset);
                }
            });
    }

    /**
     * The measured run: {@code wiring} registers the work, {@code handOff} picks how batches reach the job thread,
     * {@code threadSliceNanos} the scheduler slice of the stream's threads (0: the kernel's default).
     * Besides the listener's per-batch times it collects each measured batch's phases ({@link Breakdown}) and the
     * heap bytes the stream's and the producer's threads allocated over the window ({@link Allocation}).
     */
    static RunStats run(final Settings settings, final BackpressureConfig backpressure, final HandOff handOff,
                        final long threadSliceNanos, final BufferAllocator allocator, final QueueSource source, final Emitter emitter,
                        final Wiring wiring)
        throws InterruptedException {
        final LongList delays = new LongList();
        final LongList processing = new LongList();
        final LongList records = new LongList();
        final Breakdown breakdown = new Breakdown();
        final Window window = new Window();
        final StreamingContext context = StreamingContext.builder()
            .batchInterval(Duration.ofMillis(settings.intervalMillis()))
            .allocator(allocator)
            .backpressure(backpressure)
            .handOff(handOff)
            .threadSlice(Duration.ofNanos(threadSliceNanos))
            .progressLogInterval(Duration.ofHours(1))
            .build();
        final StreamInput input = context.input(source);
        context.addListener(new StreamingListener() {
            @Override
            public void onBatchCompleted(final BatchInfo info) {
                if (window.contains(info.batchTimeMillis()) && info.succeeded()) {
                    delays.add(info.schedulingDelayNanos());
                    processing.add(info.processingNanos());
                    records.add(info.records());
                    breakdown.add(info);
                }
            }
        });
        wiring.wire(context, input, window);
        final long accepted;
        final long dropped;
        final long target;
        final long windowNanos;
        final GcActivity gc;
        final HiccupMeter.Hiccups hiccups;
        final Allocation.Snapshot allocBefore;
        final Allocation.Snapshot allocAfter;
        context.start();
        try (PacedProducer producer = PacedProducer.start(settings.rate(), emitter, PRODUCER_THREAD)) {
            sleep(settings.warmup());
            awaitDrained(context, settings.warmup());
            final long acceptedBefore = producer.accepted();
            final long droppedBefore = producer.dropped();
            final long targetBefore = producer.target();
            final GcActivity gcBefore = GcActivity.now();
            final HiccupMeter meter = HiccupMeter.start();
            allocBefore = Allocation.Snapshot.take(PRODUCER_THREAD, STREAM_THREADS, WORKER_THREADS);
            final long start = System.nanoTime();
            window.open(context.clock().millis(), settings.intervalMillis());
            try {
                sleep(settings.measure());
            } finally {
                window.close(context.clock().millis());
                allocAfter = Allocation.Snapshot.take(PRODUCER_THREAD, STREAM_THREADS, WORKER_THREADS);
                hiccups = meter.stop();
            }
            windowNanos = System.nanoTime() - start;
            gc = GcActivity.now().minus(gcBefore);
            accepted = producer.accepted() - acceptedBefore;
            dropped = producer.dropped() - droppedBefore;
            target = producer.target() - targetBefore;
        } finally {
            // The job executor thread wrote the lists; stop() joins it, which publishes them to this thread.
            context.stop(true);
        }
        final long[] delayArray = delays.toArray();
        final long cut = windowNanos / TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis());
        return new RunStats(delayArray, processing.toArray(), records.toArray(), target, accepted, dropped, windowNanos, gc,
            hiccups,
            Sustainability.judge(TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis()), delayArray, target, accepted,
                dropped), breakdown, allocAfter.since(allocBefore, cut, accepted));
    }

    /**
     * Waits up to {@code limit} more for the batch queue to empty, so a backlog built while the JIT warmed up does
     * not spill into the window (a stream that cannot keep up never drains: the window then shows it).
     */
    private static void awaitDrained(final StreamingContext context, final Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (context.metrics().queueLength() > 1 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(Math.min(10, context.batchIntervalMillis())));
        }
    }

    /** Sleeps {@code duration} on the monotonic clock. */
    static void sleep(final Duration duration) throws InterruptedException {
        final long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("benchmark sleep interrupted");
            }
            LockSupport.parkNanos(left);
        }
    }
}
