package io.sluice.engine.stream.source;

import io.sluice.engine.stream.StreamClock;

/**
 * A token bucket over a {@link StreamClock}: permits (records) accrue at {@link #rate()} per second up to one
 * burst (the rate times the burst window, at least one permit), so a source idle for a while cannot flood the
 * next batch. Pull sources read {@link #available()} and {@link #consume(long)}; push sources block in
 * {@link #acquire(long)}. An infinite rate means no limit. Thread-safe.
 *
 * <p>Internal: public only for the other stream packages, not part of the user API.
 */
public final class RateLimiter {
    private static final double NANOS_PER_SECOND = 1e9;

    private final StreamClock clock;
    private final long burstNanos;
    private double rate;
    private double permits;
    private long lastNanos;

    public RateLimiter(final StreamClock clock, final long burstNanos, final double rate) {
        if (burstNanos <= 0) {
            throw new IllegalArgumentException("burstNanos=" + burstNanos + " must be > 0");
        }
        this.clock = clock;
        this.burstNanos = burstNanos;
        this.lastNanos = clock.nanos();
        setRate(rate);
    }

    public synchronized void setRate(final double recordsPerSecond) {
        if (!(recordsPerSecond > 0)) {
            throw new IllegalArgumentException("rate=" + recordsPerSecond + " records/s must be > 0");
        }
        refill(clock.nanos());
        rate = recordsPerSecond;
        permits = Double.isInfinite(rate) ? Double.POSITIVE_INFINITY : Math.min(permits, burst());
    }

    public synchronized double rate() {
        return rate;
    }

    private double burst() {
        return Math.max(1.0, rate * burstNanos / NANOS_PER_SECOND);
    }

    private void refill(final long now) {
        if (now > lastNanos) {
            if (Double.isInfinite(rate)) {
                permits = Double.POSITIVE_INFINITY;
            } else {
                permits = Math.min(burst(), permits + rate * (now - lastNanos) / NANOS_PER_SECOND);
            }
            lastNanos = now;
        }
    }

    /** Whole permits available now ({@link Long#MAX_VALUE} without a limit). */
    public synchronized long available() {
        refill(clock.nanos());
        if (Double.isInfinite(permits)) {
            return Long.MAX_VALUE;
        }
        return permits <= 0 ? 0 : (long) Math.floor(permits);
    }

    /** Takes {@code n} permits (the balance may go negative: later permits repay it). */
    public synchronized void consume(final long n) {
        if (!Double.isInfinite(permits)) {
            permits -= n;
        }
    }

    /**
     * Blocks until {@code n} permits (or one full burst, if {@code n} is larger) are available, then takes
     * {@code n}.
     */
    public void acquire(final long n) throws InterruptedException {
        while (true) {
            final long waitUntil;
            synchronized (this) {
                final long now = clock.nanos();
                refill(now);
                final double needed = Math.min(n, burst());
                if (permits >= needed) {
                    consume(n);
                    return;
                }
                waitUntil = now + Math.max(1L, (long) Math.ceil((needed - permits) / rate * NANOS_PER_SECOND));
            }
            clock.awaitNanos(waitUntil);
        }
    }
}
