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
    private static final VarHandle CURSOR;
    private static final VarHandle CLAIMED_AT;
    private static final int OPEN = 0;
    private static final int COMMITTED = 1;
    /** {@code copied} values: a speculative copy was launched, or a running attempt was split (never both). */
    private static final int COPY = 1;
    private static final int SPLIT = 2;
    /** {@link #cursor} of an attempt that thieves may not split: not started, not chunked, or ended. */
    private static final long CLOSED = -1L;
    /** Largest range whose offsets fit the cursor's 31-bit halves; a longer attempt runs its chunks unsplittable. */
    private static final long MAX_CURSOR_ROWS = Integer.MAX_VALUE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Morsel.class, "state", int.class);
            FAILURES = lookup.findVarHandle(Morsel.class, "failures", int.class);
            LIVE = lookup.findVarHandle(Morsel.class, "live", int.class);
            COPIED = lookup.findVarHandle(Morsel.class, "copied", int.class);
            CURSOR = lookup.findVarHandle(Morsel.class, "cursor", long.class);
            CLAIMED_AT = lookup.findVarHandle(Morsel.class, "claimedAt", long.class);
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
    /**
     * The live range of a running chunked attempt, offsets from {@link #from}: {@code next << 32 | end}. The owner
     * claims chunks by moving {@code next} up, a thief splits off {@code [mid, end)} by moving {@code end} down,
     * each by a CAS on the whole word, so a row is either claimed by the owner or split off, exactly once.
     * {@link #CLOSED} before the attempt's first chunk claim and after it ended (then {@link #to} is the final end).
     */
    @SuppressWarnings("unused")
    private volatile long cursor = CLOSED;
    /** Clock nanos of the owner's latest chunk claim while the cursor is open (written before it opens, then after each CAS). */
    @SuppressWarnings("unused")
    private long claimedAt;
    /** Owner only: end of the last chunk claimed (absolute row); {@link #from} before the first claim. */
    private long claimed;
    /** Owner only: whether a chunk was claimed (the cursor may have been opened). */
    private boolean chunked;
    /** Rows the owner claims per chunk (written before the cursor opens, read by thieves after reading it). */
    private long chunkRows;
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
            return !isCommitted() && COPIED.compareAndSet(primary, 0, COPY)
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
        return whole ? run.taskStates().wasCopied(task) : (int) COPIED.getVolatile(primary) == COPY;
    }

    // Splitting a running attempt. A range is either copied (speculation) or split while it runs, never both: a copy
    // runs the range as it was when copied, so it would recompute rows a split had moved to another part.

    /**
     * Owner: starts a run of this attempt (before it is published as a worker's current attempt): its cursor is
     * closed until the task claims its first chunk.
     */
    void beginRun() {
        claimed = from;
        chunked = false;
        if (!whole) {
            CURSOR.setOpaque(this, CLOSED);
        }
    }

    /**
     * Owner, from inside the task: claims the next chunk of at most {@code maxRows} rows and returns its exclusive
     * end; the chunk starts at the previous return value ({@link #from} for the first). Returns the previous end
     * once no unclaimed row is left. The first claim opens the cursor to thieves when the attempt may be split.
     */
    long claimChunk(final long maxRows, final NanoClock clock) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("task=" + task + " chunk of maxRows=" + maxRows + " must be >= 1");
        }
        if (!chunked) {
            chunked = true;
            final long rows = to - from;
            final long first = Math.min(rows, maxRows);
            if (mayOpen() && rows <= MAX_CURSOR_ROWS && first < rows) {
                chunkRows = Math.min(maxRows, MAX_CURSOR_ROWS);
                CLAIMED_AT.setOpaque(this, clock.nanoTime());
                // Release: a thief that reads the open cursor also sees chunkRows and claimedAt.
                CURSOR.setRelease(this, pack(first, rows));
            }
            claimed = from + first;
            return claimed;
        }
        while (true) {
            final long c = (long) CURSOR.getVolatile(this);
            if (c == CLOSED) {
                // Never opened (not splittable, or one chunk held all rows): this attempt owns its whole range.
                claimed += Math.min(maxRows, to - claimed);
                return claimed;
            }
            final long next = next(c);
            final long end = end(c);
            if (next >= end) {
                return claimed;
            }
            final long upTo = Math.min(end, next + Math.min(maxRows, MAX_CURSOR_ROWS));
            if (CURSOR.compareAndSet(this, c, pack(upTo, end))) {
                CLAIMED_AT.setOpaque(this, clock.nanoTime());
                claimed = from + upTo;
                return claimed;
            }
        }
    }

    /** Whether this attempt may open its cursor to thieves: a non-speculative attempt of a splittable stage task. */
    private boolean mayOpen() {
        return run != null && !whole && !speculative && (int) COPIED.getVolatile(primary) != COPY;
    }

    /** Current exclusive end of this attempt's range: its live end while its cursor is open. */
    long liveTo() {
        final long c = (long) CURSOR.getVolatile(this);
        return c == CLOSED ? to : from + end(c);
    }

    /**
     * Owner, when the attempt ended (returned, threw, or its worker is dying): closes the cursor, so no thief splits
     * it any more, and shrinks {@link #to} to the final end. Returns the rows of the final range the task did not
     * claim (0 after a task that claimed until no rows were left, or that never claimed a chunk).
     */
    long endRun() {
        if (!chunked) {
            return 0;
        }
        while (true) {
            final long c = (long) CURSOR.getVolatile(this);
            if (c == CLOSED) {
                return to - claimed;
            }
            if (CURSOR.compareAndSet(this, c, CLOSED)) {
                to = from + end(c);
                return to - claimed;
            }
        }
    }

    /**
     * Thief: rows a split of this running attempt could take now, 0 if none ({@code minRows} at least, and the
     * owner keeps at least one chunk). A racy estimate for choosing a victim; {@link #trySplit} decides.
     */
    long splittableRows(final long minRows) {
        final long c = (long) CURSOR.getVolatile(this);
        if (c == CLOSED) {
            return 0;
        }
        final long left = end(c) - next(c);
        return left - chunkRows >= Math.max(1, minRows) ? left : 0;
    }

    /** Speculation: while thieves may split this running attempt (open cursor), nanos since its latest claim; else -1. */
    long chunkStalledNanos(final long now) {
        if ((long) CURSOR.getVolatile(this) == CLOSED) {
            return -1;
        }
        return Math.max(0, now - (long) CLAIMED_AT.getOpaque(this));
    }

    /** Thief: rows the owner claimed so far (including the chunk it runs), or -1 if the cursor is closed. */
    long claimedRows() {
        final long c = (long) CURSOR.getVolatile(this);
        return c == CLOSED ? -1 : next(c);
    }

    /**
     * Thief: splits off the upper part of this running attempt's unclaimed rows, leaving the owner
     * {@code keepFraction} of them (at least one chunk), and returns it as a new first attempt of its own range (a
     * part of the task, committed on its own); null if the cursor is closed, fewer than {@code minRows} rows would
     * move, or the range was copied. Marks the range split first, so it is never copied afterwards.
     */
    Morsel trySplit(final double keepFraction, final long minRows) {
        if (whole || speculative || run == null) {
            return null;
        }
        final int mark = (int) COPIED.getVolatile(primary);
        if (mark == COPY || mark != SPLIT && !COPIED.compareAndSet(primary, 0, SPLIT)) {
            return null;
        }
        while (true) {
            final long c = (long) CURSOR.getVolatile(this);
            if (c == CLOSED) {
                return null;
            }
            final long next = next(c);
            final long end = end(c);
            final long left = end - next;
            final long keep = Math.max(chunkRows, (long) Math.ceil(left * keepFraction));
            final long mid = next + keep;
            if (end - mid < Math.max(1, minRows)) {
                return null;
            }
            if (CURSOR.compareAndSet(this, c, pack(next, mid))) {
                final Morsel part = new Morsel(run, task, from + mid, from + end, 1, false, false, null);
                part.markStolen();
                return part;
            }
        }
    }

    private static long pack(final long next, final long end) {
        return next << 32 | end;
    }

    private static long next(final long cursor) {
        return cursor >>> 32;
    }

    private static long end(final long cursor) {
        return cursor & 0xFFFFFFFFL;
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
