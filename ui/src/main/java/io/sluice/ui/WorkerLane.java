package io.sluice.ui;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.engine.sched.SchedulerListener;

/**
 * The recent task attempts of one worker slot, in a ring of {@link #CAPACITY}, plus its run-wide counters. One
 * writer: the worker thread of the slot (a replacement starts only after the dead thread's last write). Readers copy
 * the ring seqlock-style: an entry the writer may have overwritten while they read is dropped, never misread.
 */
final class WorkerLane {
    /** Attempts kept per worker. */
    static final int CAPACITY = 4096;

    /** Counter indices. */
    static final int ATTEMPTS = 0;
    static final int STOLEN = 1;
    static final int SPECULATIVE = 2;
    static final int COMMITTED = 3;
    static final int LOST = 4;
    static final int FAILED = 5;
    static final int BUSY_NANOS = 6;
    private static final int COUNTERS = 7;

    private final long[] stage = new long[CAPACITY];
    private final long[] start = new long[CAPACITY];
    private final long[] end = new long[CAPACITY];
    private final int[] task = new int[CAPACITY];
    private final int[] attempt = new int[CAPACITY];
    private final int[] flags = new int[CAPACITY];
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong[] counters = new AtomicLong[COUNTERS];

    WorkerLane() {
        for (int i = 0; i < COUNTERS; i++) {
            counters[i] = new AtomicLong();
        }
    }

    /** Appends one attempt; writer thread only, allocation-free. */
    void add(final long stageSeq, final int t, final int a, final long startNanos, final long endNanos, final int f) {
        final long n = written.get();
        final int i = (int) (n % CAPACITY);
        stage[i] = stageSeq;
        task[i] = t;
        attempt[i] = a;
        start[i] = startNanos;
        end[i] = endNanos;
        flags[i] = f;
        // Release: the slot's fields are visible to a reader that sees the new count.
        written.lazySet(n + 1);
        bump(ATTEMPTS, 1);
        bump(BUSY_NANOS, endNanos - startNanos);
        if ((f & SchedulerListener.STOLEN) != 0) {
            bump(STOLEN, 1);
        }
        if ((f & SchedulerListener.SPECULATIVE) != 0) {
            bump(SPECULATIVE, 1);
        }
        if ((f & SchedulerListener.COMMITTED) != 0) {
            bump(COMMITTED, 1);
        } else if ((f & SchedulerListener.FAILED) != 0) {
            bump(FAILED, 1);
        } else {
            bump(LOST, 1);
        }
    }

    private void bump(final int counter, final long by) {
        final AtomicLong c = counters[counter];
        c.lazySet(c.get() + by);
    }

    long counter(final int counter) {
        return counters[counter].get();
    }

    /** Receives one copied attempt. */
    interface Sink {
        void accept(long stageSeq, int task, int attempt, long startNanos, long endNanos, int flags);
    }

    /**
     * Hands the newest {@code CAPACITY - 1} attempts (the oldest slot is the one the writer overwrites next, so it is
     * given up) of stages numbered at least {@code minStage} to {@code sink}, oldest first.
     */
    void copyFrom(final long minStage, final Sink sink) {
        final long n = written.get();
        final long from = Math.max(0, n - CAPACITY);
        final int count = (int) (n - from);
        final long[] s = new long[count];
        final long[] b = new long[count];
        final long[] e = new long[count];
        final int[] t = new int[count];
        final int[] a = new int[count];
        final int[] f = new int[count];
        for (int k = 0; k < count; k++) {
            final int i = (int) ((from + k) % CAPACITY);
            s[k] = stage[i];
            b[k] = start[i];
            e[k] = end[i];
            t[k] = task[i];
            a[k] = attempt[i];
            f[k] = flags[i];
        }
        // The copies above happen before the second read of the count: entries the writer reached meanwhile
        // (including the one it may be writing now, at index n2) are dropped.
        VarHandle.acquireFence();
        final long n2 = written.get();
        final long firstValid = Math.max(from, n2 - CAPACITY + 1);
        for (int k = (int) (firstValid - from); k < count; k++) {
            if (s[k] >= minStage) {
                sink.accept(s[k], t[k], a[k], b[k], e[k], f[k]);
            }
        }
    }
}
