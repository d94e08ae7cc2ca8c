package io.sluice.bench.stream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * Measures how late the platform runs a thread, as jHiccup does: a thread parks for {@link #PERIOD_NANOS} again
 * and again and records how much longer each park took. Nothing in the stream causes these delays, so they show
 * what GC pauses and the other processes on the cores did to every thread during a window; a latency tail of the
 * same size comes from the platform, not from the stream. {@link #close()} ends the thread.
 */
public final class HiccupMeter implements AutoCloseable {
    /** The park the meter expects to last. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Hiccups seen: samples, p99, max, and the total time lost beyond {@link #PERIOD_NANOS}. */
    public record Hiccups(long samples, long p99Nanos, long maxNanos, long lostNanos) {
        public static final Hiccups NONE = new Hiccups(0, 0, 0, 0);
    }

    private final Histogram histogram = new Histogram(MAX_NANOS, 2);
    private final Thread thread;
    private volatile boolean stopped;
    private long lost;

    private HiccupMeter() {
        this.thread = new Thread(this::run, "sluice-bench-hiccups");
        this.thread.setDaemon(true);
    }

    /** Starts measuring now. */
    public static HiccupMeter start() {
        final HiccupMeter meter = new HiccupMeter();
        meter.thread.start();
        return meter;
    }

    /** How much longer than expected a park of {@code expectedNanos} that took {@code actualNanos} was (>= 0). */
    static long hiccup(final long expectedNanos, final long actualNanos) {
        return Math.max(0, actualNanos - expectedNanos);
    }

    private void run() {
        while (!stopped) {
            final long start = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            final long late = hiccup(PERIOD_NANOS, System.nanoTime() - start);
            histogram.recordValue(Math.min(MAX_NANOS, late));
            lost += late;
        }
    }

    /** Stops the thread, waits for it, and returns what it saw; idempotent. */
    public Hiccups stop() {
        stopped = true;
        LockSupport.unpark(thread);
        Joins.uninterruptibly(thread);
        // The join above orders the meter thread's writes before these reads.
        if (histogram.getTotalCount() == 0) {
            return Hiccups.NONE;
        }
        return new Hiccups(histogram.getTotalCount(), histogram.getValueAtPercentile(99), histogram.getMaxValue(), lost);
    }

    @Override
    public void close() {
        stop();
    }
}
