package io.sluice.engine.stream;

import java.util.concurrent.locks.LockSupport;

/**
 * Wall-clock time with {@link System#nanoTime()} resolution: the epoch offset is read once, then time advances
 * monotonically with {@code nanoTime}, so a wall-clock step (NTP) never moves batch boundaries backwards.
 */
public final class SystemStreamClock implements StreamClock {
    private static final SystemStreamClock INSTANCE = new SystemStreamClock();

    private final long offsetNanos;

    private SystemStreamClock() {
        this.offsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    /** The shared instance. */
    public static SystemStreamClock instance() {
        return INSTANCE;
    }

    @Override
    public long nanos() {
        return offsetNanos + System.nanoTime();
    }

    @Override
    public void awaitNanos(final long targetNanos) throws InterruptedException {
        for (long remaining = targetNanos - nanos(); remaining > 0; remaining = targetNanos - nanos()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for clock nanos=" + targetNanos);
            }
            LockSupport.parkNanos(this, remaining);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for clock nanos=" + targetNanos);
        }
    }

    @Override
    public String toString() {
        return "SystemStreamClock";
    }
}
