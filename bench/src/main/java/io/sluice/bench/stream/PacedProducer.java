package io.sluice.bench.stream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.stream.source.QueueSource;

/**
 * A thread that offers records to a source on a {@link Pacer} schedule, one {@link Emitter#unit()} at a time, and
 * counts what the source accepted and dropped (a full queue). When it is ahead of the schedule it parks until the
 * next unit is due (at most {@link #MAX_PARK_NANOS}), so it never busy-spins; {@link #close()} stops and joins it.
 */
public final class PacedProducer implements AutoCloseable {
    /** Longest park between checks of the schedule and of the stop flag. */
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Pacer pacer;
    private final Emitter emitter;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long accepted;
    private volatile long dropped;
    private volatile long stopNanos;

    private PacedProducer(final Pacer pacer, final Emitter emitter, final String name) {
        this.pacer = pacer;
        this.emitter = emitter;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts a producer offering {@code ratePerSecond} records per second from now on. */
    public static PacedProducer start(final double ratePerSecond, final Emitter emitter, final String name) {
        if (emitter.unit() < 1) {
            throw new IllegalArgumentException("emitter unit=" + emitter.unit() + " must be >= 1");
        }
        final PacedProducer producer = new PacedProducer(new Pacer(ratePerSecond, System.nanoTime()), emitter, name);
        producer.thread.start();
        return producer;
    }

    /**
     * Units to send now: those whose last record is due by {@code dueRecords}, less {@code sentUnits}. Pure, for
     * tests: a unit goes out once all of its records are due.
     */
    static long unitsToSend(final long dueRecords, final long sentUnits, final int unit) {
        return Math.max(0, dueRecords / unit - sentUnits);
    }

    private void run() {
        final int unit = emitter.unit();
        long sent = 0;
        long acceptedRecords = 0;
        long droppedRecords = 0;
        while (!stopped) {
            final long toSend = unitsToSend(pacer.dueBy(System.nanoTime()), sent, unit);
            for (long i = 0; i < toSend && !stopped; i++) {
                final QueueSource.Offer offer = emitter.emit(sent++);
                if (offer == QueueSource.Offer.ACCEPTED) {
                    acceptedRecords += unit;
                } else if (offer == QueueSource.Offer.CLOSED) {
                    stopped = true;
                } else {
                    droppedRecords += unit;
                }
            }
            accepted = acceptedRecords;
            dropped = droppedRecords;
            final long wait = pacer.dueAt((sent + 1) * unit) - System.nanoTime();
            if (wait > 0 && !stopped) {
                LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
            }
        }
    }

    /** Records the source accepted so far. */
    public long accepted() {
        return accepted;
    }

    /** Records the source refused (queue full, or rejected) so far. */
    public long dropped() {
        return dropped;
    }

    /** Records the schedule asked for between the start and {@link #close()} (or now, while running). */
    public long target() {
        final long end = stopNanos;
        return pacer.dueBy(end == 0 ? System.nanoTime() : end);
    }

    /** Stops the thread and waits for it; idempotent. */
    @Override
    public void close() {
        if (stopNanos == 0) {
            stopNanos = System.nanoTime();
        }
        stopped = true;
        LockSupport.unpark(thread);
        Joins.uninterruptibly(thread);
    }
}
