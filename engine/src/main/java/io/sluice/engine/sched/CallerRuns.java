package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Caller-runs: the thread that called {@link Scheduler#run} claims and runs the stage's tasks itself while it
 * waits (as a ForkJoinPool join helps), and parks only when nothing is left to claim. It claims first attempts
 * through {@link Placement.Claims#help} (the top of the fullest worker block under work stealing, the shared
 * cursor under the central queue), a chunk of {@code 16} at a time while tasks are tiny, else one; a splittable
 * task is halved down to the minimum morsel, the upper halves queued for the workers. Retries, split parts and
 * speculative copies stay with the workers. Its attempts are reported as the pseudo-worker
 * {@link SchedulerConfig#callerWorker()} ("caller") in metrics, busy time and listener events, and idle workers
 * may copy its straggler like any other's. A copy that wins or a stage that ends interrupts the caller's attempt
 * as it would a worker's; the interrupt is swallowed once the attempt returned (an interrupt of the caller by its
 * application in that same instant is swallowed with it). One per pool; used by one stage's caller at a time
 * (under the stage lock).
 */
final class CallerRuns implements TaskContext {
    private static final VarHandle CURRENT;
    /** As in the workers: tasks shorter than this are claimed {@link #CHUNK} at a time and timed per chunk. */
    private static final long TINY_TASK_NANOS = 2_000;
    private static final int CHUNK = 16;
    private static final int BATCH = 32;
    private static final long PROMPT_NANOS = 50_000;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(CallerRuns.class, "current", Morsel.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final WorkerPool pool;
    private final SchedulerConfig config;
    private final int index;
    private final NanoClock clock;
    private final FaultInjection faults;
    private final boolean recordRunTimes;
    /** Re-aimed at each unsplit first attempt the caller runs, as a worker's is. */
    private final Morsel reusable = new Morsel(null, 0, 0, 0, 1, false, false, null, true);
    private final long[] runTimes = new long[BATCH];
    /** Nanos per row of the caller's chunked attempts, read by workers splitting its running attempt. */
    private final RunningSplits.RowRate rate = new RunningSplits.RowRate();
    /** The attempt being run, read by idle workers deciding on speculation; null between stages. */
    private volatile Morsel current;
    /** Guards interrupting the caller for an attempt against it moving on; {@link #interruptedHere} under it. */
    private final Object interruptLock = new Object();
    private boolean interruptedHere;
    private Thread thread;
    private StageRun<?> run;
    private boolean woken;
    private long lastRunNanos;
    private int pendingCommits;
    private long pendingBusy;
    private int pendingAttempts;
    private int runTimesCount;

    CallerRuns(final WorkerPool pool) {
        this.pool = pool;
        this.config = pool.config();
        this.index = config.callerWorker();
        this.clock = config.clock();
        this.faults = config.faults();
        this.recordRunTimes = config.speculation();
    }

    /** The attempt the caller runs now, or null. */
    Morsel current() {
        return current;
    }

    RunningSplits.RowRate rate() {
        return rate;
    }

    /**
     * Runs tasks of {@code r}, published as the pool's active stage, on this thread until none is left to claim
     * or the stage ended; the workers are woken at the latest before it returns (unless the stage already ended).
     * Returns null, or what this thread threw outside a task (a listener's Error): the stage was then failed.
     */
    Throwable help(final StageRun<?> r) {
        run = r;
        thread = Thread.currentThread();
        woken = false;
        lastRunNanos = Long.MAX_VALUE;
        final long wakeDelay = config.callerWakeDelayNanos();
        if (wakeDelay == 0) {
            wake();
        }
        try {
            final Placement.Claims claims = r.claims();
            long last = clock.nanoTime();
            while (!r.isFinished()) {
                if (thread.isInterrupted() && !interruptedBySchedulerOnly()) {
                    r.failExternally("caller thread interrupted");
                    break;
                }
                final long range = claims.help(lastRunNanos < TINY_TASK_NANOS ? CHUNK : 1);
                if (range < 0) {
                    break;
                }
                final int lo = (int) (range >>> 32);
                final int hi = (int) range;
                final long chunkStart = last;
                for (int t = lo; t < hi; t++) {
                    // Within a chunk of tiny tasks only the last reads the clock; the others get the last mean.
                    last = runFirstAttempt(r, t, last, t == hi - 1 || lastRunNanos >= TINY_TASK_NANOS);
                }
                if (hi - lo > 1) {
                    lastRunNanos = (last - chunkStart) / (hi - lo);
                }
                if (!woken && last - r.startNanos() >= wakeDelay) {
                    wake();
                }
            }
            flush();
            return null;
        } catch (final Throwable t) {
            r.failExternally("caller thread failed outside a task: " + t);
            return t;
        } finally {
            clearCurrent();
            if (!woken && !r.isFinished()) {
                wake();
            }
            run = null;
        }
    }

    private void wake() {
        woken = true;
        pool.wakeAll();
    }

    /** Runs the first attempt of task {@code t} starting at {@code start}; returns its end. */
    private long runFirstAttempt(final StageRun<?> r, final int t, final long start, final boolean readClock) {
        Morsel m = r.firstAttempt(t, reusable, false);
        if (m.isSplittable()) {
            final long minRows = config.minMorselRows();
            final boolean split = m.rows() >= 2 * minRows;
            while (m.rows() >= 2 * minRows) {
                pool.offer(m.splitUpper(), Placement.ANY_WORKER);
            }
            if (split && !woken) {
                wake();
            }
        }
        if (r.isFinished() || m.isCommitted()) {
            m.decrementLive();
            return start;
        }
        m.startNanos = start;
        m.beginRun();
        CURRENT.setRelease(this, m);
        Object out = null;
        Throwable error = null;
        try {
            if (faults.failAttempt(m.task(), m.from(), m.attempt())) {
                throw new InjectedFailureException(m.task(), m.from(), m.attempt(), index);
            }
            out = r.task(t).fn().run(this);
        } catch (final Throwable ex) {
            error = ex;
        }
        // Closes the attempt's range to workers splitting it: from here on its rows are [from, to) as split.
        final Throwable unclaimed = RunningSplits.unclaimedError(m, m.endRun());
        if (error == null && unclaimed != null) {
            error = unclaimed;
            r.discard(out);
            out = null;
        }
        final long end = readClock ? Math.max(start, clock.nanoTime()) : start + lastRunNanos;
        final long ran = end - start;
        if (readClock) {
            lastRunNanos = ran;
        }
        pendingBusy += ran;
        pendingAttempts++;
        rate.add(m, ran, error);
        final int outcome = report(r, m, out, error, ran);
        final SchedulerListener[] listeners = pool.listeners();
        if (listeners.length != 0) {
            pool.notifyAttempt(listeners, r, m, index, start, end, outcome);
        }
        if (pendingCommits >= BATCH || runTimesCount == BATCH || ran >= PROMPT_NANOS) {
            flush();
        }
        if (error != null || m.wasCopied() || r.isFinished()) {
            // Someone may be interrupting this attempt (a winning copy, or the end of the stage).
            clearCurrent();
        }
        return end;
    }

    /** Whether the thread's interrupt came from the scheduler (for an attempt of its own), not the application. */
    private boolean interruptedBySchedulerOnly() {
        synchronized (interruptLock) {
            return interruptedHere;
        }
    }

    /** Clears {@code current} under the interrupters' lock and swallows an interrupt they delivered for it. */
    private void clearCurrent() {
        synchronized (interruptLock) {
            current = null;
            if (interruptedHere) {
                interruptedHere = false;
                Thread.interrupted();
            }
        }
    }

    /** Interrupts the caller if it runs an attempt of {@code r} (which ended). */
    void interruptIfRunning(final StageRun<?> r) {
        synchronized (interruptLock) {
            final Morsel c = current;
            if (c != null && c.run == r) {
                interrupt();
            }
        }
    }

    /** Interrupts the caller if it runs an attempt of {@code committed}'s range other than it. */
    void interruptIfRunningOtherAttempt(final Morsel committed) {
        synchronized (interruptLock) {
            final Morsel c = current;
            if (c != null && c != committed && c.sameRange(committed)) {
                interrupt();
            }
        }
    }

    /**
     * Under the lock: interrupts the caller for its attempt, unless this is the caller itself (between attempts, not
     * blocked in one) or it is already interrupted (by its application: that interrupt must not be swallowed).
     */
    private void interrupt() {
        if (Thread.currentThread() != thread && !thread.isInterrupted()) {
            interruptedHere = true;
            thread.interrupt();
        }
    }

    private int report(final StageRun<?> r, final Morsel m, final Object out, final Throwable error, final long ran) {
        if (error != null) {
            final Morsel retry = r.onFailure(m, error);
            if (retry != null) {
                pool.offer(retry, Placement.ANY_WORKER);
                if (!woken) {
                    wake();
                }
            }
            return -1;
        }
        final int outcome = r.onSuccess(m, out, index, m.startNanos, m.startNanos + ran);
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
        return outcome;
    }

    /** Reports the batched busy time, run times and commits to the stage (the commits last: they may end it). */
    private void flush() {
        final StageRun<?> r = run;
        if (pendingBusy != 0 || pendingAttempts != 0) {
            r.addBusy(index, pendingBusy, pendingAttempts);
            pendingBusy = 0;
            pendingAttempts = 0;
        }
        if (runTimesCount > 0) {
            r.stats().recordRuns(runTimes, runTimesCount);
            runTimesCount = 0;
        }
        if (pendingCommits > 0) {
            final int n = pendingCommits;
            pendingCommits = 0;
            r.tasksCommitted(n);
        }
    }

    // TaskContext of the attempt in `current`; only called by the caller thread from inside TaskFn.run.

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
        return current.claimChunk(maxRows);
    }

    @Override
    public boolean isSpeculative() {
        return false;
    }

    @Override
    public boolean isCancelled() {
        final Morsel c = current;
        return thread.isInterrupted() || c == null || c.isCommitted() || c.run.isFinished() || pool.isClosed();
    }

    @Override
    public double slowdown() {
        return faults.slowdown(index);
    }
}
