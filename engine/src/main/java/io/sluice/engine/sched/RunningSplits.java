package io.sluice.engine.sched;

/**
 * What an idle worker does with other workers' running attempts: split one (work stealing: which running attempt,
 * and how much of its unclaimed rows to take), or copy a straggler (speculation). Only attempts whose task claims
 * its rows in chunks ({@link TaskContext#nextChunk}) can be split; the split itself is a CAS on the attempt's cursor
 * ({@link Morsel#trySplit}).
 */
final class RunningSplits {
    private static final long MIN_SPLIT_NANOS = WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS;
    /** How long a runner's attempt must have run before others take the unstarted tasks of its chunk. */
    static final long HOLD_NANOS = 100_000;
    /** How often an idle worker looks for such tasks. */
    static final long HOLD_CHECK_NANOS = 20_000;

    private RunningSplits() {
    }

    /**
     * Worker {@code thief} (nanos per row {@code ownRowNanos} on its last chunked attempts, NaN if unknown) splits
     * the running attempt of the pool's active stage that needs the longest to finish its unclaimed rows at its
     * measured rate; {@code share} decides how much it takes ({@link SplitShare}: by default both end by the fluid
     * end of all running attempts). Returns the split-off part, ready to run, or null.
     */
    static Morsel split(final WorkerPool pool, final int thief, final long now, final double ownRowNanos,
                        final SplitShare share) {
        // Rates: each runner's rows-weighted moving rate over its chunked attempts (ownRowNanos is the thief's);
        // for a runner without one yet, its attempt's progress (elapsed over rows claimed), else the mean of the rest.
        final StageRun<?> run = pool.activeRun();
        if (run == null || run.isFinished()) {
            return null;
        }
        final int runners = pool.runners();
        final int workers = pool.config().workers();
        Morsel victim = null;
        double victimLeftNanos = 0;
        double victimRowNanos = 0;
        double leftRows = 0;
        double knownSpeed = 0;
        int known = 0;
        int unknown = 0;
        // The workers, and the caller's running attempt with caller-runs.
        for (int s = 0; s < runners; s++) {
            final Morsel c = pool.runningAttempt(s);
            final boolean ofRun = c != null && c.run == run;
            final double measured = s == thief ? ownRowNanos : pool.rowNanos(s);
            if (s < workers || ofRun) {
                // Every worker counts towards the horizon's speed; the caller only while it runs an attempt here.
                if (measured > 0) {
                    knownSpeed += 1 / measured;
                    known++;
                } else {
                    unknown++;
                }
            }
            if (s == thief || !ofRun || c.isWhole() || c.isSpeculative()) {
                continue;
            }
            final long left = c.splittableRows(1);
            final long claimedRows = c.claimedRows();
            if (left == 0 || claimedRows <= 0) {
                continue;
            }
            leftRows += left;
            final double perRow = measured > 0 ? measured : Math.max(1, now - c.startNanos) / (double) claimedRows;
            final double leftNanos = left * perRow;
            if (leftNanos > victimLeftNanos) {
                victim = c;
                victimLeftNanos = leftNanos;
                victimRowNanos = perRow;
            }
        }
        if (victim == null) {
            return null;
        }
        final double own = ownRowNanos > 0 ? ownRowNanos : victimRowNanos;
        // A runner without a rate yet counts at the mean known speed, or at the victim's when none is known.
        final double meanSpeed = known > 0 ? knownSpeed / known : 1 / victimRowNanos;
        final double horizon = SplitShare.horizonNanos(leftRows, knownSpeed + unknown * meanSpeed);
        final double keep = share.keepFraction(victimLeftNanos / victimRowNanos, victimRowNanos, own, horizon);
        if (Double.isNaN(keep)) {
            return null;
        }
        final long minRows = (long) Math.ceil(MIN_SPLIT_NANOS / Math.max(own, 1e-3));
        final Morsel part = victim.trySplit(keep, minRows);
        if (part != null) {
            part.enqueuedAt(now);
        }
        return part;
    }

    /**
     * Worker {@code thief}, which found nothing else to run, takes the last unstarted task of a chunk another runner
     * claimed ({@link HeldChunks#take}) if that runner's current attempt of {@code run} has run at least
     * {@link #HOLD_NANOS} and four times the runner's mean run time in the stage (it blocks or was mispredicted as
     * tiny): a chunk never holds tasks back behind a long one. Returns the task index, or -1. The task is taken
     * off the chunk, so it stays a first attempt (run once, counted as stolen), as a task stolen from a block is.
     * {@code now} is the thief's clock.
     */
    static int takeHeld(final WorkerPool pool, final StageRun<?> run, final int thief, final long now) {
        for (int s = 0; s < pool.runners(); s++) {
            if (s == thief || !run.held().holds(s)) {
                continue;
            }
            final Morsel c = pool.runningAttempt(s);
            if (c == null || c.run != run) {
                continue;
            }
            // A stale start (c moving on to its next task) costs an early take, never a second run of a task.
            final long bound = Math.max(HOLD_NANOS, 4 * run.workerMeanRunNanos(s));
            if (now - c.startNanos >= bound) {
                final int t = run.held().take(s);
                if (t >= 0) {
                    return t;
                }
            }
        }
        return -1;
    }

    /**
     * Worker {@code self} looks for one straggler of the active stage that the speculation policy says to copy (at
     * most one look per check interval per stage) and returns its copy, counted and ready to run, or null.
     */
    static Morsel copyStraggler(final WorkerPool pool, final int self, final long now) {
        final SchedulerConfig config = pool.config();
        final StageRun<?> run = pool.activeRun();
        if (run == null || run.isFinished() || !run.claimSpeculationCheck(now, config.speculationCheckIntervalNanos())) {
            return null;
        }
        final SpeculationPolicy policy = config.speculationPolicy();
        for (int s = 0; s < pool.runners(); s++) {
            final Morsel c = s == self ? null : pool.runningAttempt(s);
            // c may be another worker's reusable morsel moving on to its next task: trySpeculativeCopy reads the
            // task once and refuses a task already copied or committed; a stale start time costs a wasted copy.
            if (c == null || c.run != run || c.isSpeculative()) {
                continue;
            }
            // While thieves may split an attempt they take its unclaimed rows; a copy runs the whole range again,
            // so it is only worth it for a chunk that stalls, however slow the worker is.
            final long stalled = c.chunkStalledNanos(now);
            final boolean due = stalled >= 0 ? policy.shouldSpeculate(stalled, run.stats())
                : policy.shouldSpeculate(now - c.startNanos, run.stats(), run.workerMeanRunNanos(s));
            final Morsel copy = due ? c.trySpeculativeCopy() : null;
            if (copy != null) {
                copy.incrementLive();
                copy.enqueuedAt(now);
                run.countSpeculativeCopy();
                return copy;
            }
        }
        return null;
    }

    /**
     * A worker's rate over its chunked attempts: nanos over rows, both decayed per attempt, so an attempt weighs by
     * its rows (a small part delayed by one late wake-up does not set the rate) and old stages fade. Written by the
     * worker, read by thieves.
     */
    static final class RowRate {
        private static final double DECAY = 0.8;
        private double nanos;
        private double rows;
        private volatile double perRow = Double.NaN;

        /** Attempt {@code m} (final range) ran {@code ran} nanos and threw {@code error} (null if none); its worker only. */
        void add(final Morsel m, final long ran, final Throwable error) {
            if (error != null || m.isWhole() || m.rows() <= 0) {
                return;
            }
            nanos = nanos * DECAY + ran;
            rows = rows * DECAY + m.rows();
            perRow = nanos / rows;
        }

        /** Nanos per row, or NaN before the first chunked attempt. */
        double perRow() {
            return perRow;
        }
    }

    /** The failure of an attempt that returned with {@code unclaimed} rows of its final range not claimed, or null. */
    static Throwable unclaimedError(final Morsel m, final long unclaimed) {
        if (unclaimed == 0) {
            return null;
        }
        return new IllegalStateException("task=" + m.task() + " attempt=" + m.attempt() + " returned with rows ["
            + (m.to() - unclaimed) + ", " + m.to() + ") not claimed: a task that claims chunks (nextChunk) must claim "
            + "until no rows are left");
    }
}
