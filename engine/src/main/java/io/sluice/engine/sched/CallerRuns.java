package io.sluice.engine.sched;

/**
 * Caller-runs: the thread that called {@link Scheduler#run} claims and runs the stage's tasks itself while it
 * waits (as a ForkJoinPool join helps), and parks only when nothing is left to claim. It claims first attempts
 * through {@link Placement.Claims#help} (the top of the fullest worker block under work stealing, the shared
 * cursor under the central queue), a chunk of {@code 16} at a time while tasks are tiny, else one (the unstarted
 * rest of a chunk published in the stage's {@link HeldChunks}, for idle workers to take if a task runs long); a splittable
 * task is halved down to the minimum morsel, the upper halves queued for the workers. Retries, split parts and
 * speculative copies stay with the workers. Its attempts are reported as the pseudo-worker
 * {@link SchedulerConfig#callerWorker()} ("caller") in metrics, busy time and listener events, and idle workers
 * may copy its straggler like any other's. A copy that wins or a stage that ends interrupts the caller's attempt
 * as it would a worker's; the interrupt is swallowed once the attempt returned (an interrupt of the caller by its
 * application in that same instant is swallowed with it). One per pool; used by one stage's caller at a time
 * (under the stage lock).
 */
final class CallerRuns extends AttemptRunner {
    /** As in the workers: tasks shorter than this are claimed {@link #CHUNK} at a time and timed per chunk. */
    private static final long TINY_TASK_NANOS = 2_000;
    private static final int CHUNK = 16;

    private final SchedulerConfig config;
    private final NanoClock clock;
    /** Re-aimed at each unsplit first attempt the caller runs, as a worker's is. */
    private final Morsel reusable = new Morsel(null, 0, 0, 0, 1, false, false, null, true);
    /** Whether the scheduler interrupted the caller for its attempt; guarded by {@link #interruptLock}. */
    private boolean interruptedHere;
    private Thread thread;
    private boolean woken;
    private long lastRunNanos;

    CallerRuns(final WorkerPool pool) {
        super(pool, pool.config().callerWorker());
        this.config = pool.config();
        this.clock = config.clock();
    }

    /**
     * Runs tasks of {@code r}, published as the pool's active stage, on this thread until none is left to claim
     * or the stage ended; the workers are woken at the latest before it returns (unless the stage already ended).
     * Returns null, or what this thread threw outside a task (a listener's Error): the stage was then failed.
     */
    Throwable help(final StageRun<?> r) {
        pendingRun = r;
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
                // The unstarted rest is published: idle workers take it if one of these tasks runs long.
                final boolean chunked = hi - lo > 1;
                if (chunked) {
                    r.held().hold(index, lo + 1, hi);
                }
                int ran = 0;
                for (int t = lo; t >= 0; t = chunked ? r.held().next(index) : -1) {
                    ran++;
                    last = runFirstAttempt(r, t, last, chunked);
                }
                if (ran > 1) {
                    lastRunNanos = (last - chunkStart) / ran;
                }
                if (!woken && last - r.startNanos() >= wakeDelay) {
                    wake();
                }
            }
            return null;
        } catch (final Throwable t) {
            r.failExternally("caller thread failed outside a task: " + t);
            return t;
        } finally {
            clearCurrent();
            // May complete the stage; then nobody needs waking.
            flush();
            pendingRun = null;
            if (!woken && !r.isFinished()) {
                wake();
            }
        }
    }

    private void wake() {
        woken = true;
        pool.wakeAll();
    }

    /**
     * Runs the first attempt of task {@code t} starting at {@code start}; returns its end. Within a chunk of tiny
     * tasks only the last one run here reads the clock (its end telescopes the chunk); the others get the last mean.
     */
    private long runFirstAttempt(final StageRun<?> r, final int t, final long start, final boolean chunked) {
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
        runBody(r, m);
        final boolean readClock = !chunked || lastRunNanos >= TINY_TASK_NANOS || !r.held().holds(index);
        final long end = readClock ? Math.max(start, clock.nanoTime()) : start + lastRunNanos;
        if (readClock) {
            lastRunNanos = end - start;
        }
        final int outcome = finishAttempt(r, m, start, end);
        if (outcome < 0 || m.wasCopied() || r.isFinished()) {
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

    /**
     * Interrupts the caller for its attempt, unless this is the caller itself (between attempts, not blocked in one)
     * or it is already interrupted (by its application: that interrupt must not be swallowed).
     */
    @Override
    void interruptAttempt() {
        if (Thread.currentThread() != thread && !thread.isInterrupted()) {
            interruptedHere = true;
            thread.interrupt();
        }
    }

    /** A failed attempt's retry runs on the workers: wake them. */
    @Override
    void retryQueued() {
        if (!woken) {
            wake();
        }
    }

    // TaskContext of the attempt in `current` (the rest in AttemptRunner); only called by the caller from inside TaskFn.run.

    @Override
    public boolean isCancelled() {
        return thread.isInterrupted() || attemptMoot() || pool.isClosed();
    }
}
