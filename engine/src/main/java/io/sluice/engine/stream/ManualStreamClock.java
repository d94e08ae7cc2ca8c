package io.sluice.engine.stream;

import java.time.Duration;

/**
 * A clock that moves only when a test calls {@link #advance(Duration)} or {@link #setMillis(long)}: batch
 * boundaries, rates and delays then follow the test's script, with no sleeps. Threads blocked in
 * {@link #awaitNanos(long)} wake when the time they wait for is reached.
 */
public final class ManualStreamClock implements StreamClock {
    private long nanos;

    /** A clock at epoch millisecond 0. */
    public ManualStreamClock() {
        this(0);
    }

    /** A clock at {@code startMillis}. */
    public ManualStreamClock(final long startMillis) {
        this.nanos = Math.multiplyExact(startMillis, 1_000_000L);
    }

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    /** Moves time forward by {@code step} (which must not be negative) and wakes waiters. */
    public void advance(final Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("clock step=" + step + " must not be negative");
        }
        synchronized (this) {
            nanos = Math.addExact(nanos, step.toNanos());
            notifyAll();
        }
    }

    /** Moves time forward by {@code millis}. */
    public void advanceMillis(final long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Sets the time to {@code millis}, which must not be before the current time. */
    public synchronized void setMillis(final long millis) {
        final long target = Math.multiplyExact(millis, 1_000_000L);
        if (target < nanos) {
            throw new IllegalArgumentException("clock cannot go back: millis=" + millis + " now nanos=" + nanos);
        }
        nanos = target;
        notifyAll();
    }

    @Override
    public synchronized void awaitNanos(final long targetNanos) throws InterruptedException {
        while (nanos < targetNanos) {
            wait();
        }
    }

    @Override
    public synchronized String toString() {
        return "ManualStreamClock[nanos=" + nanos + "]";
    }
}
