package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.ToLongBiFunction;

import io.sluice.memory.Batch;

/**
 * Test job whose processing takes a chosen time on a {@link ManualStreamClock}: it waits for the clock. With
 * {@link #step} a test advances time in small steps and lets the stream settle after each, so delays, rates and
 * queue lengths follow the script exactly.
 */
public final class SimulatedWork implements BatchJob {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ManualStreamClock clock;
    private final ToLongBiFunction<Long, Batch> costNanos;
    private volatile long waitingUntil = -1;

    public SimulatedWork(final ManualStreamClock clock, final ToLongBiFunction<Long, Batch> costNanos) {
        this.clock = clock;
        this.costNanos = costNanos;
    }

    /** Processes {@code capacity} records per second. */
    public static SimulatedWork perRecord(final ManualStreamClock clock, final double capacity) {
        return new SimulatedWork(clock, (time, batch) -> (long) Math.ceil(batch.rowCount() / capacity * 1e9));
    }

    @Override
    public void process(final long batchTimeMillis, final Batch batch) throws InterruptedException {
        final long until = clock.nanos() + costNanos.applyAsLong(batchTimeMillis, batch);
        waitingUntil = until;
        clock.awaitNanos(until);
        waitingUntil = -1;
    }

    /** Advances the clock by {@code stepMillis} and waits until the stream has done everything that time allows. */
    public void step(final StreamingContext context, final long stepMillis) throws InterruptedException {
        clock.advanceMillis(stepMillis);
        final long now = clock.nanos();
        final long boundary = Math.floorDiv(clock.millis(), context.batchIntervalMillis()) * context.batchIntervalMillis();
        if (boundary > 0) {
            assertTrue(context.awaitBatchGenerated(boundary, WAIT));
        }
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            final StreamingMetrics metrics = context.metrics();
            final boolean idle = metrics.batchesSubmitted() == metrics.batchesCompleted() + metrics.batchesFailed();
            if (idle || waitingUntil > now) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream did not settle at clock=" + clock);
            }
            Thread.onSpinWait();
        }
    }
}
