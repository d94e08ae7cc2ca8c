package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What every thread that runs task attempts shares, the workers ({@link Worker}) and the helping caller
 * ({@link CallerRuns}): the attempt it runs ({@link #current}, read by idle workers for speculation and splits and by
 * interrupters), the task body's run with fault injection and the unclaimed-rows check, the report of each attempt's
 * outcome to its stage, the per-thread buffer of commits, busy time and run times reported per batch, and the
 * {@link TaskContext} of the running attempt (one per thread, reused). Slot {@link #index} names it in metrics.
 */
abstract class AttemptRunner implements TaskContext {
    /** Commits and run times are reported per batch of this many, or at once after a task this long, or when idle. */
    static final int BATCH = 32;
    static final long PROMPT_NANOS = 50_000;
    /** {@link #finishAttempt} outcomes of an attempt that threw, besides the {@link StageRun#onSuccess} ones. */
    static final int FAILED_COUNTED = -1;
    static final int FAILED_MOOT = -2;
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(AttemptRunner.class, "current", Morsel.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final WorkerPool pool;
    final int index;
    final FaultInjection faults;
    /** Guards interrupting this thread for an attempt against it moving on to another one. */
    final Object interruptLock = new Object();
    /** The attempt being run, read by idle workers (speculation, splits) and committers (interrupting losers). */
    volatile Morsel current;
    /** Nanos per row of this thread's chunked attempts, read by workers splitting its running attempt. */
    private final RunningSplits.RowRate rate = new RunningSplits.RowRate();
    private final boolean recordRunTimes;
    /** Figures not yet reported to {@code pendingRun} (see {@link #flush}). */
    StageRun<?> pendingRun;
    int pendingCommits;
    private long pendingBusy;
    private int pendingAttempts;
    private final long[] runTimes = new long[BATCH];
    private int runTimesCount;
    /** The result and failure of the last {@link #runBody}. */
    Object out;
    Throwable error;

    AttemptRunner(final WorkerPool pool, final int index) {
        this.pool = pool;
        this.index = index;
        this.faults = pool.config().faults();
        this.recordRunTimes = pool.config().speculation();
    }

    Morsel current() {
        return current;
    }

    /**
     * Whether the attempt in {@link #current} need not go on: there is none, it was committed (another copy won), or
     * its stage finished. The part of {@link TaskContext#isCancelled} every runner shares; each adds how its own
     * thread is stopped.
     */
    final boolean attemptMoot() {
        final Morsel c = current;
        return c == null || c.isCommitted() || c.run.isFinished();
    }

    RunningSplits.RowRate rate() {
        return rate;
    }

    /**
     * Publishes {@code m} as the running attempt (a release store: readers only need to see it soon, with its
     * {@code startNanos}), runs its task body and closes its range to thieves; leaves the outcome in {@link #out}
     * and {@link #error}.
     */
    final void runBody(final StageRun<?> run, final Morsel m) {
        m.beginRun();
        CURRENT.setRelease(this, m);
        out = null;
        error = null;
        try {
            if (faults.failAttempt(m.task(), m.from(), m.attempt())) {
                throw new InjectedFailureException(m.task(), m.from(), m.attempt(), index);
            }
            out = run.task(m.task()).fn().run(this);
        } catch (final Throwable t) {
            error = t;
        }
        // Closes the attempt's range to thieves: from here on its rows are [from, to) as split.
        final Throwable unclaimed = RunningSplits.unclaimedError(m, m.endRun());
        if (error == null && unclaimed != null) {
            error = unclaimed;
            run.discard(out);
            out = null;
        }
    }

    /**
     * Accounts attempt {@code m} (run from {@code start} to {@code end}, outcome in {@link #out} and {@link #error}),
     * reports it to its stage and the listeners, and flushes the batch when due. Returns the
     * {@link StageRun#onSuccess} outcome, or {@link #FAILED_COUNTED} when the attempt threw and its failure counted
     * (decided by {@link StageRun#onFailure} itself, so the listeners' FAILED flag agrees with the stage's retries
     * even if the retry commits before they hear of it), or {@link #FAILED_MOOT} when it threw after the stage
     * ended or another attempt committed its range.
     */
    final int finishAttempt(final StageRun<?> run, final Morsel m, final long start, final long end) {
        final long ran = end - start;
        pendingBusy += ran;
        pendingAttempts++;
        rate.add(m, ran, error);
        int outcome = FAILED_COUNTED;
        if (error == null) {
            outcome = run.onSuccess(m, out, index, start, end);
            if (outcome != StageRun.NOT_COMMITTED) {
                if (recordRunTimes) {
                    runTimes[runTimesCount++] = ran;
                }
                if (outcome == StageRun.COMMITTED_TASK) {
                    pendingCommits++;
                }
                if (m.wasCopied()) {
                    pool.interruptOtherAttempts(m);
                }
            }
        } else {
            final Morsel retry = run.onFailure(m, error);
            if (retry == m) {
                outcome = FAILED_MOOT;
            } else if (retry != null) {
                pool.offer(retry, Placement.ANY_WORKER);
                retryQueued();
            }
        }
        out = null;
        error = null;
        reported();
        final SchedulerListener[] listeners = pool.listeners();
        if (listeners.length != 0) {
            pool.notifyAttempt(listeners, run, m, index, start, end, outcome);
        }
        if (pendingCommits >= BATCH || runTimesCount == BATCH || ran >= PROMPT_NANOS) {
            flush();
        }
        return outcome;
    }

    /**
     * Called once the attempt is reported (committed, discarded or its retry queued), before the listeners hear of
     * it: a death of this thread from here on must not re-run it.
     */
    void reported() {
    }

    /** Called after a failed attempt's retry was queued (the caller wakes the workers that will run it). */
    void retryQueued() {
    }

    /** Reports the batched commits, run times and busy time to their stage. */
    final void flush() {
        final StageRun<?> run = pendingRun;
        if (run == null) {
            return;
        }
        if (pendingBusy != 0 || pendingAttempts != 0) {
            run.addBusy(index, pendingBusy, pendingAttempts);
            pendingBusy = 0;
            pendingAttempts = 0;
        }
        if (runTimesCount > 0) {
            run.stats().recordRuns(runTimes, runTimesCount);
            runTimesCount = 0;
        }
        if (pendingCommits > 0) {
            final int n = pendingCommits;
            pendingCommits = 0;
            // May complete the stage: last, after the figures above.
            run.tasksCommitted(n);
        }
    }

    /** Interrupts this thread (under {@link #interruptLock}) for the attempt in {@link #current}. */
    abstract void interruptAttempt();

    /** Interrupts this thread if the attempt it runs belongs to {@code run} (which ended: the attempt is moot). */
    final void interruptIfRunning(final StageRun<?> run) {
        synchronized (interruptLock) {
            final Morsel c = current;
            if (c != null && c.run == run) {
                interruptAttempt();
            }
        }
    }

    /** Interrupts this thread if it is still running an attempt of {@code committed}'s range other than it. */
    final void interruptIfRunningOtherAttempt(final Morsel committed) {
        synchronized (interruptLock) {
            final Morsel c = current;
            if (c != null && c != committed && c.sameRange(committed)) {
                interruptAttempt();
            }
        }
    }

    // TaskContext of the attempt in `current`; only called by this thread from inside TaskFn.run.

    @Override
    public int taskId() {
        return current.task();
    }

    @Override
    public int attempt() {
        return current.attempt();
    }

    @Override
    public int worker() {
        return index;
    }

    @Override
    public long from() {
        return current.from();
    }

    @Override
    public long to() {
        return current.liveTo();
    }

    @Override
    public long nextChunk(final long maxRows) {
        return current.claimChunk(maxRows, pool.config().clock());
    }

    @Override
    public boolean isSpeculative() {
        return current.isSpeculative();
    }

    @Override
    public double slowdown() {
        return faults.slowdown(index);
    }
}
