package io.sluice.engine.sched;

import org.agrona.concurrent.IdleStrategy;

/**
 * One worker thread's duty cycle: take a morsel from the policy's {@link Placement}, run it, report to its
 * {@link StageRun}; when there is nothing to take, look for a straggler to copy, else idle with the configured
 * Agrona {@link IdleStrategy}. Also the {@link TaskContext} of the attempt it runs (one per worker, reused).
 */
final class Worker extends AttemptRunner implements Runnable {
    private static final long NO_TIME = Long.MIN_VALUE;
    /**
     * Tasks shorter than this are claimed {@link #CHUNK} at a time; the unstarted rest of a chunk is published, and
     * idle workers take it when the task running here takes long ({@link RunningSplits#takeHeld}).
     */
    private static final long TINY_TASK_NANOS = 2_000;
    private static final int CHUNK = 16;
    /**
     * Tasks shorter than {@link #TINY_TASK_NANOS} read the clock only every this many tasks (a read costs ~25 ns
     * here, as much as the rest of the per-task path): the others get the mean of the last timed span as run
     * time, chained so that busy time still telescopes to the real elapsed time.
     */
    private static final int CLOCK_SAMPLE = 8;

    private final Thread thread;
    private final IdleStrategy idle;
    private final Placement placement;
    private final NanoClock clock;
    private volatile boolean running = true;
    /**
     * The stage this worker may be running an attempt of, set before it checks that the stage is still running
     * and cleared only after the attempt was reported: a driver that saw its stage finish and then sees
     * {@code engaged != run} knows no attempt of it runs here now or later (volatile store then load on both
     * sides, so one of the two sees the other).
     */
    private volatile StageRun<?> engaged;
    /** The morsel taken but not finished, re-queued by the pool if this thread dies. */
    private Morsel held;
    /**
     * End of the previous attempt if this worker went straight on to the next one, else {@link #NO_TIME}: it
     * doubles as the next start, saving a clock read per task (about 60 ns here), so a run time includes the
     * few nanos spent taking the morsel.
     */
    private long lastEnd = NO_TIME;
    /** Run time of the previous attempt; decides the claim chunk. Reset per stage so a stage starts with 1. */
    private long lastRunNanos = Long.MAX_VALUE;
    private StageRun<?> claimRun;
    /** When this worker last looked for tasks held behind a long attempt ({@link RunningSplits#takeHeld}). */
    private long lastHoldCheck = Long.MIN_VALUE / 2;
    /** Tiny tasks run since the clock was last read. */
    private int untimed;
    /** Re-aimed at each unsplit first attempt this worker runs (their commit state is in the stage's TaskStates). */
    private final Morsel reusable = new Morsel(null, 0, 0, 0, 1, false, false, null, true);
    /** Whether this worker splits running attempts when idle ({@link WorkStealingPlacement#splitsRunning}). */
    private final boolean splitRunning;
    /** How much of a running attempt this worker splits off when it does. */
    private final SplitShare splitShare;

    Worker(final WorkerPool pool, final int index, final String threadName) {
        super(pool, index);
        this.placement = pool.placement();
        this.clock = pool.config().clock();
        this.idle = pool.config().idleStrategy().get();
        this.splitRunning = placement instanceof WorkStealingPlacement && ((WorkStealingPlacement) placement).splitsRunning();
        this.splitShare = placement instanceof WorkStealingPlacement ? ((WorkStealingPlacement) placement).splitShare()
            : SplitShare.BALANCE;
        this.thread = new Thread(this, threadName);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    int index() {
        return index;
    }

    StageRun<?> engaged() {
        return engaged;
    }

    /** Asks the loop to end and wakes the thread (from idling or from a task that honours interrupts). */
    void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run() {
        try {
            TimerSlack.trySetForCurrentThread(pool.config().timerSlackProc(), pool.config().timerSlackNanos());
            loop();
        } catch (final Throwable t) {
            // The duty cycle itself failed (injected death or a bug): the pool replaces this thread.
            current = null;
            if (held != null) {
                // No thief may split it any more, and its re-run covers the rows not split off.
                held.endRun();
            }
            flush();
            pool.onWorkerDeath(this, held, t);
        } finally {
            engaged = null;
        }
    }

    private void loop() {
        while (running) {
            Morsel m = next();
            if (m == null) {
                lastEnd = NO_TIME;
                flush();
                disengage();
                // Nothing to claim, poll or steal: split a running chunked attempt (work stealing).
                m = splitRunning ? RunningSplits.split(pool, index, clock.nanoTime(), rate().perRow(), splitShare) : null;
            }
            if (m != null) {
                held = m;
                final long taken = pool.countTaken(index);
                if (faults.killNow(index, taken)) {
                    throw new WorkerKilledError(index, taken);
                }
                execute(m);
                held = null;
                idle.reset();
            } else if (trySpeculate()) {
                idle.reset();
                lastEnd = NO_TIME;
            } else {
                idle.idle();
            }
        }
    }

    /**
     * The next attempt to run: a task of the active stage's own share (claimed, not queued: the caller published
     * the stage once; the unstarted rest of a chunk is held in the stage's {@link HeldChunks}, so a replacement of
     * this worker continues it), else a queued morsel (retries, split parts, re-runs), else a stolen share, else
     * an unstarted task held by a runner whose attempt runs long; null if none.
     */
    private Morsel next() {
        final StageRun<?> run = pool.activeRun();
        final boolean live = run != null && !run.isFinished();
        if (live) {
            if (run != claimRun) {
                claimRun = run;
                lastRunNanos = Long.MAX_VALUE;
            }
            // The rest of a chunk is published in the stage (HeldChunks#hold): others take it if a task blocks.
            int t = run.held().next(index);
            if (t < 0) {
                final long range = run.claims().claimOwn(index, lastRunNanos < TINY_TASK_NANOS ? CHUNK : 1);
                if (range >= 0) {
                    t = (int) (range >>> 32);
                    if ((int) range - t > 1) {
                        run.held().hold(index, t + 1, (int) range);
                    }
                }
            }
            if (t >= 0) {
                return place(run.firstAttempt(t, reusable, false));
            }
        }
        final Morsel queued = placement.poll(index);
        if (queued != null || !live) {
            return queued;
        }
        int t = run.claims().steal(index);
        if (t < 0) {
            // At most one look per HOLD_CHECK_NANOS: polling the runners' held words would contend with their
            // per-task updates of them.
            final long now = clock.nanoTime();
            if (now - lastHoldCheck >= RunningSplits.HOLD_CHECK_NANOS) {
                t = RunningSplits.takeHeld(pool, run, index, now);
                // After a take, look again at once: the runner may hold more behind the same long attempt.
                lastHoldCheck = t < 0 ? now : now - RunningSplits.HOLD_CHECK_NANOS;
            }
        }
        if (t < 0) {
            return null;
        }
        return place(run.firstAttempt(t, reusable, true));
    }

    /** A splittable first attempt goes through the placement's queues, which split it and place the parts. */
    private Morsel place(final Morsel m) {
        if (!m.isSplittable()) {
            return m;
        }
        placement.offer(m, index);
        return placement.poll(index);
    }

    /** Idle: no attempt runs here; a stray interrupt meant for a finished attempt must not cut the next park short. */
    private void disengage() {
        if (engaged != null) {
            clearCurrent();
            engaged = null;
        } else if (running) {
            Thread.interrupted();
        }
    }

    /**
     * Clears {@code current} under the lock interrupters hold, and swallows an interrupt they delivered for it:
     * after this, nobody interrupts this thread for an attempt it no longer runs.
     */
    private void clearCurrent() {
        synchronized (interruptLock) {
            current = null;
            if (running) {
                Thread.interrupted();
            }
        }
    }

    @Override
    void reported() {
        held = null;
    }

    private void execute(final Morsel m) {
        final StageRun<?> run = m.run;
        if (engaged != run) {
            // Switching stage: an interrupt aimed at a stale `current` of the previous one must not leak over.
            clearCurrent();
            engaged = run;
        }
        if (pendingRun != run) {
            flush();
            pendingRun = run;
        }
        if (run.isFinished() || m.isCommitted()) {
            m.decrementLive();
            return;
        }
        if (m.isStolen()) {
            run.countSteal(index);
        }
        final long start = lastEnd != NO_TIME ? lastEnd : clock.nanoTime();
        m.startNanos = start;
        // The engaged/isFinished handshake above is what the driver relies on; `current` is published in runBody.
        runBody(run, m);
        final long end = endOf(start);
        lastEnd = end;
        // Report before clearing `current`: until then the driver counts this attempt as running.
        final int outcome = finishAttempt(run, m, start, end);
        if (outcome < 0 || m.isSpeculative() || m.wasCopied() || run.isFinished()) {
            // Someone may be interrupting this attempt (the winner of its range, or the driver of its ended stage).
            clearCurrent();
            if (run.isFinished()) {
                engaged = null;
            }
        }
        // Otherwise `current` stays on the committed, never-copied attempt until the next one replaces it, saving
        // a fenced store per task: no winner interrupts for it (it won, and a copy made now finds it committed),
        // and the driver of its stage, which may still interrupt for it once the stage ended, is only waiting on
        // this worker while it stays engaged in that stage; clearCurrent() runs before it disengages or switches.
    }

    /**
     * The end of an attempt that started at {@code start}: read from the clock, or, for a tiny task between two
     * clock samples, {@code start} plus the mean run time of the last timed span.
     */
    private long endOf(final long start) {
        if (lastRunNanos < TINY_TASK_NANOS && ++untimed < CLOCK_SAMPLE && lastEnd != NO_TIME) {
            return start + lastRunNanos;
        }
        final long end = Math.max(start, clock.nanoTime());
        final long ran = end - start;
        // The mean over the span since the last read (this task plus the untimed ones before it).
        lastRunNanos = untimed > 1 && lastRunNanos < TINY_TASK_NANOS ? (ran + lastRunNanos * (untimed - 1)) / untimed : ran;
        untimed = 0;
        return end;
    }

    @Override
    void interruptAttempt() {
        thread.interrupt();
    }

    /** An idle worker copies one straggler of the active stage, if the speculation policy says so, and runs it. */
    private boolean trySpeculate() {
        final Morsel copy = pool.config().speculation() ? RunningSplits.copyStraggler(pool, index, clock.nanoTime())
            : null;
        if (copy == null) {
            return false;
        }
        held = copy;
        execute(copy);
        held = null;
        return true;
    }

    // TaskContext of the attempt in `current` (the rest in AttemptRunner); only called by this thread from inside TaskFn.run.

    @Override
    public boolean isCancelled() {
        return !running || thread.isInterrupted() || attemptMoot();
    }
}
