package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One schedulable unit: an attempt at task {@link #task()} over rows {@code [from, to)}. The policies
 * ({@link TaskQueues}) move morsels between queues and may split a splittable, never-started morsel in two; the
 * schedulers run them. A simulator builds morsels with the public constructor and ignores the commit state.
 *
 * <p>All attempts of one range (the first, its retries, its speculative copy) share one <em>primary</em> morsel
 * whose state decides the single commit: {@link #tryCommit()} is a CAS, so exactly one attempt commits.
 * Range fields are mutated only by the thread that holds the morsel (after taking it from a queue).
 */
public final class Morsel {
    private static final VarHandle STATE;
    private static final VarHandle FAILURES;
    private static final VarHandle LIVE;
    private static final VarHandle COPIED;
    private static final int OPEN = 0;
    private static final int COMMITTED = 1;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Morsel.class, "state", int.class);
            FAILURES = lookup.findVarHandle(Morsel.class, "failures", int.class);
            LIVE = lookup.findVarHandle(Morsel.class, "live", int.class);
            COPIED = lookup.findVarHandle(Morsel.class, "copied", int.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final StageRun<?> run;
    private final int task;
    private final long from;
    private long to;
    private final int attempt;
    private final boolean speculative;
    private final boolean splittable;
    private final Morsel primary;
    private long enqueueNanos;
    private boolean stolen;
    /**
     * Start of the current run (clock nanos); read by idle workers deciding on speculation, published by the
     * running worker's release store of its current attempt.
     */
    long startNanos;
    // Primary-only state.
    @SuppressWarnings("unused")
    private volatile int state;
    @SuppressWarnings("unused")
    private volatile int failures;
    @SuppressWarnings("unused")
    private volatile int live = 1;
    @SuppressWarnings("unused")
    private volatile int copied;

    /** A first attempt of {@code task} over {@code [from, to)}, outside any threaded stage (for simulations). */
    public Morsel(final int task, final long from, final long to, final boolean splittable) {
        this(null, task, from, to, 1, false, splittable, null);
    }

    Morsel(final StageRun<?> run, final int task, final long from, final long to, final int attempt,
           final boolean speculative, final boolean splittable, final Morsel primary) {
        if (from > to) {
            throw new IllegalArgumentException("task=" + task + " range [" + from + ", " + to + ") has from > to");
        }
        this.run = run;
        this.task = task;
        this.from = from;
        this.to = to;
        this.attempt = attempt;
        this.speculative = speculative;
        this.splittable = splittable;
        this.primary = primary == null ? this : primary;
    }

    /** Index of the task in its stage. */
    public int task() {
        return task;
    }

    /** First row, inclusive. */
    public long from() {
        return from;
    }

    /** Last row, exclusive. */
    public long to() {
        return to;
    }

    /** Number of rows, {@code to - from}. */
    public long rows() {
        return to - from;
    }

    /** 1 for the first attempt, incremented per retry or re-run after a worker died. */
    public int attempt() {
        return attempt;
    }

    /** Whether this attempt is a speculative copy of a running attempt. */
    public boolean isSpeculative() {
        return speculative;
    }

    /** Whether the policy may still split this morsel (only never-started first attempts of splittable tasks). */
    public boolean isSplittable() {
        return splittable;
    }

    /** Whether a policy took this morsel from another worker's queue. */
    public boolean isStolen() {
        return stolen;
    }

    /** Called by a policy when it takes the morsel from a queue that is not the taker's own. */
    public void markStolen() {
        this.stolen = true;
    }

    /** Clock nanos at which the morsel was last offered to a queue. */
    public long enqueueNanos() {
        return enqueueNanos;
    }

    /** Records when the morsel is offered (the threaded schedulers do it; a simulator may). */
    public void enqueuedAt(final long nanos) {
        this.enqueueNanos = nanos;
    }

    /**
     * Splits off the upper half {@code [mid, to)} as a new morsel of the same task and keeps {@code [from, mid)}.
     * Only for a splittable morsel with at least two rows; the caller must hold it exclusively.
     */
    public Morsel splitUpper() {
        final long rows = rows();
        if (!splittable || rows < 2) {
            throw new IllegalStateException("task=" + task + " range [" + from + ", " + to + ") splittable="
                + splittable + " cannot split");
        }
        final long mid = from + rows / 2;
        final Morsel upper = new Morsel(run, task, mid, to, 1, false, true, null);
        upper.enqueueNanos = enqueueNanos;
        this.to = mid;
        return upper;
    }

    /** The morsel all attempts at this range share. */
    Morsel primary() {
        return primary;
    }

    /** A new attempt at the same range, never split, with a fresh attempt number. */
    Morsel nextAttempt(final int attemptNumber) {
        return new Morsel(run, task, from, to, attemptNumber, false, false, primary);
    }

    /** A speculative copy of this attempt (same attempt number). */
    Morsel speculativeCopy() {
        return new Morsel(run, task, from, to, attempt, true, false, primary);
    }

    /** CAS open to committed on the primary; true for exactly one attempt. */
    boolean tryCommit() {
        return STATE.compareAndSet(primary, OPEN, COMMITTED);
    }

    boolean isCommitted() {
        return (int) STATE.getAcquire(primary) == COMMITTED;
    }

    /** Marks that a speculative copy was launched; true only for the first caller. */
    boolean tryMarkCopied() {
        return COPIED.compareAndSet(primary, 0, 1);
    }

    boolean wasCopied() {
        return (int) COPIED.getVolatile(primary) != 0;
    }

    /** Counts a failed attempt; returns the failures so far. */
    int incrementFailures() {
        return (int) FAILURES.getAndAdd(primary, 1) + 1;
    }

    int failures() {
        return (int) FAILURES.getVolatile(primary);
    }

    /** One more attempt launched (queued or running). */
    void incrementLive() {
        LIVE.getAndAdd(primary, 1);
    }

    /** One attempt finished; returns the attempts still live. */
    int decrementLive() {
        return (int) LIVE.getAndAdd(primary, -1) - 1;
    }

    @Override
    public String toString() {
        return "Morsel{task=" + task + ", rows=[" + from + ", " + to + "), attempt=" + attempt
            + (speculative ? ", speculative" : "") + (stolen ? ", stolen" : "") + '}';
    }
}
