package io.sluice.bench.stream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.BatchJob;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
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
        return run(settings, backpressure, allocator, source, emitter, job, context -> { });
    }

    /**
     * As {@link #run(Settings, BackpressureConfig, BufferAllocator, QueueSource, Emitter, BatchJob)}, handing the
     * configured context to {@code beforeStart} just before it starts (e.g. to attach a dashboard).
     */
    public static RunStats run(final Settings settings, final BackpressureConfig backpressure, final BufferAllocator allocator,
                               final QueueSource source, final Emitter emitter, final BatchJob job,
                               final Consumer<StreamingContext> beforeStart) throws InterruptedException {
        final LongList delays = new LongList();
        final LongList processing = new LongList();
        final LongList records = new LongList();
        final Window window = new Window();
        final StreamingContext context = StreamingContext.builder()
            .batchInterval(Duration.ofMillis(settings.intervalMillis()))
            .allocator(allocator)
            .backpressure(backpressure)
            .progressLogInterval(Duration.ofHours(1))
            .build();
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (batchTime, batch) -> {
            if (window.contains(batchTime)) {
                job.process(batchTime, batch);
            }
        });
        context.addListener(new StreamingListener() {
            @Override
            public void onBatchCompleted(final BatchInfo info) {
                if (window.contains(info.batchTimeMillis()) && info.succeeded()) {
                    delays.add(info.schedulingDelayNanos());
                    processing.add(info.processingNanos());
                    records.add(info.records());
                }
            }
        });
        final long accepted;
        final long dropped;
        final long target;
        final long windowNanos;
        final GcActivity gc;
        final HiccupMeter.Hiccups hiccups;
        beforeStart.accept(context);
        context.start();
        try (PacedProducer producer = PacedProducer.start(settings.rate(), emitter, "sluice-bench-producer")) {
            sleep(settings.warmup());
            awaitDrained(context, settings.warmup());
            final long acceptedBefore = producer.accepted();
            final long droppedBefore = producer.dropped();
            final long targetBefore = producer.target();
            final GcActivity gcBefore = GcActivity.now();
            final HiccupMeter meter = HiccupMeter.start();
            final long start = System.nanoTime();
            window.open(context.clock().millis(), settings.intervalMillis());
            try {
                sleep(settings.measure());
            } finally {
                window.close(context.clock().millis());
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
        return new RunStats(delayArray, processing.toArray(), records.toArray(), target, accepted, dropped, windowNanos, gc,
            hiccups,
            Sustainability.judge(TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis()), delayArray, target, accepted,
                dropped));
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
