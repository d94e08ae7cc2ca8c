package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One schedulable unit: an attempt at task {@link #task()} over rows {@code [from, to)}. The policies
 * ({@link Placement}) move morsels between queues and may split a splittable, never-started morsel in two; the
 * schedulers run them. A simulator builds morsels with the public constructor and ignores the commit state.
 *
 * <p>All attempts of one range (the first, its retries, its speculative copy) share one <em>primary</em> morsel
 * whose state decides the single commit: {@link #tryCommit()} is a CAS, so exactly one attempt commits. For an
 * unsplit task of a threaded stage ({@code whole}) that state lives in the stage's {@link TaskStates} by task
 * index instead, so a worker may reuse one morsel object for the first attempts it runs ({@link #reuse});
 * other threads reading such a morsel may see it move on to another task and must read its task index once.
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

    StageRun<?> run;
    private int task;
    private long from;
    private long to;
    private final int attempt;
    private final boolean speculative;
    private final boolean splittable;
    private final Morsel primary;
    /** Commit state kept in {@code run}'s {@link TaskStates} under {@link #task} (an unsplit task's attempt). */
    private final boolean whole;
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

    /** Attempt {@code attempt} (>= 2) of a range, never split, outside any threaded stage (a simulated retry). */
    public static Morsel retry(final int task, final long from, final long to, final int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException("task=" + task + " retry attempt=" + attempt + " must be >= 2");
        }
        return new Morsel(null, task, from, to, attempt, false, false, null);
    }

    Morsel(final StageRun<?> run, final int task, final long from, final long to, final int attempt,
           final boolean speculative, final boolean splittable, final Morsel primary) {
        this(run, task, from, to, attempt, speculative, splittable, primary, false);
    }

    Morsel(final StageRun<?> run, final int task, final long from, final long to, final int attempt,
           final boolean speculative, final boolean splittable, final Morsel primary, final boolean whole) {
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
        this.whole = whole;
    }

    /**
     * Re-aims a worker's reusable whole first-attempt morsel at task {@code t} of {@code r}; only by its owner,
     * while no queue holds it. Its own state fields are unused (the state is in {@code r}'s {@link TaskStates}).
     */
    Morsel reuse(final StageRun<?> r, final int t, final long rowsFrom, final long rowsTo, final long enqueued,
                 final boolean wasStolen) {
        this.run = r;
        this.task = t;
        this.from = rowsFrom;
        this.to = rowsTo;
        this.enqueueNanos = enqueued;
        this.stolen = wasStolen;
        return this;
    }

    boolean isWhole() {
        return whole;
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

    /** Whether {@code other} is an attempt at the same range (shares the commit state). */
    boolean sameRange(final Morsel other) {
        return whole ? other.whole && other.run == run && other.task == task : other.primary == primary;
    }

    /** A new attempt at the same range, never split, with a fresh attempt number. */
    Morsel nextAttempt(final int attemptNumber) {
        return new Morsel(run, task, from, to, attemptNumber, false, false, whole ? null : primary, whole);
    }

    /**
     * Called by another worker on a running attempt: marks its range copied and returns a speculative copy, or null
     * if it was already copied or committed. Reads a whole morsel's stage and task once, as it may move on.
     */
    Morsel trySpeculativeCopy() {
        if (!whole) {
            return !isCommitted() && COPIED.compareAndSet(primary, 0, 1)
                ? new Morsel(run, task, from, to, attempt, true, false, primary) : null;
        }
        final StageRun<?> r = run;
        final int t = task;
        if (r == null || t >= r.tasks() || !r.taskStates().tryMarkCopied(t)) {
            return null;
        }
        final Task<?> spec = r.task(t);
        return new Morsel(r, t, spec.from(), spec.to(), attempt, true, false, null, true);
    }

    /** CAS open to committed on the primary; true for exactly one attempt. */
    boolean tryCommit() {
        return whole ? run.taskStates().tryCommit(task) : STATE.compareAndSet(primary, OPEN, COMMITTED);
    }

    boolean isCommitted() {
        return whole ? run.taskStates().isCommitted(task) : (int) STATE.getAcquire(primary) == COMMITTED;
    }

    boolean wasCopied() {
        return whole ? run.taskStates().wasCopied(task) : (int) COPIED.getVolatile(primary) != 0;
    }

    /** Counts a failed attempt; returns the failures so far. */
    int incrementFailures() {
        return whole ? run.taskStates().incrementFailures(task) : (int) FAILURES.getAndAdd(primary, 1) + 1;
    }

    /** One more attempt launched (queued or running). */
    void incrementLive() {
        if (whole) {
            run.taskStates().incrementLive(task);
        } else {
            LIVE.getAndAdd(primary, 1);
        }
    }

    /** One attempt finished; returns the attempts still live. */
    int decrementLive() {
        return whole ? run.taskStates().decrementLive(task) : (int) LIVE.getAndAdd(primary, -1) - 1;
    }

    @Override
    public String toString() {
        return "Morsel{task=" + task + ", rows=[" + from + ", " + to + "), attempt=" + attempt
            + (speculative ? ", speculative" : "") + (stolen ? ", stolen" : "") + '}';
    }
}
