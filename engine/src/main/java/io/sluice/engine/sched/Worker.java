package io.sluice.engine.sched;

import org.agrona.concurrent.IdleStrategy;

/**
 * One worker thread's duty cycle: take a morsel from the policy's {@link TaskQueues}, run it, report to its
 * {@link StageRun}; when there is nothing to take, look for a straggler to copy, else idle with the configured
 * Agrona {@link IdleStrategy}. Also the {@link TaskContext} of the attempt it runs (one per worker, reused).
 */
final class Worker implements Runnable, TaskContext {
    private static final long NO_TIME = Long.MIN_VALUE;

    private final WorkerPool pool;
    private final int index;
    private final Thread thread;
    private final IdleStrategy idle;
    private final TaskQueues queues;
    private final NanoClock clock;
    private final FaultInjection faults;
    /** Guards interrupting this worker for a lost race against it moving on to another morsel. */
    private final Object interruptLock = new Object();
    private volatile boolean running = true;
    /** The attempt being run, read by idle workers (speculation) and committers (interrupting losers). */
    private volatile Morsel current;
    /** The morsel taken but not finished, re-queued by the pool if this thread dies. */
    private Morsel held;
    /**
     * End of the previous attempt if this worker went straight on to the next one, else {@link #NO_TIME}: it
     * doubles as the next start, saving a clock read per task (about 60 ns here), so a run time includes the
     * few nanos spent taking the morsel.
     */
    private long lastEnd = NO_TIME;

    Worker(final WorkerPool pool, final int index, final String threadName) {
        this.pool = pool;
        this.index = index;
        this.queues = pool.queues();
        this.clock = pool.config().clock();
        this.faults = pool.config().faults();
        this.idle = pool.config().idleStrategy().get();
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

    Morsel current() {
        return current;
    }

    /** Asks the loop to end and wakes the thread (from idling or from a task that honours interrupts). */
    void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (final Throwable t) {
            // The duty cycle itself failed (injected death or a bug): the pool replaces this thread.
            pool.onWorkerDeath(this, held, t);
        }
    }

    private void loop() {
        while (running) {
            final Morsel m = queues.poll(index);
            if (m != null) {
                held = m;
                final long taken = pool.countTaken(index);
                if (faults.killNow(index, taken)) {
                    throw new WorkerKilledError(index, taken);
                }
                execute(m);
                held = null;
                idle.reset();
            } else {
                lastEnd = NO_TIME;
                if (trySpeculate()) {
                    idle.reset();
                    lastEnd = NO_TIME;
                } else {
                    idle.idle();
                }
            }
        }
    }

    private void execute(final Morsel m) {
        final StageRun<?> run = m.run;
        if (run.isFinished() || m.isCommitted()) {
            m.decrementLive();
            return;
        }
        if (m.isStolen()) {
            run.countSteal(index);
        }
        final long start = lastEnd != NO_TIME ? lastEnd : clock.nanoTime();
        m.startNanos = start;
        current = m;
        Object out = null;
        Throwable error = null;
        try {
            if (faults.failAttempt(m.task(), m.from(), m.attempt())) {
                throw new InjectedFailureException(m.task(), m.from(), m.attempt(), index);
            }
            out = run.task(m.task()).fn().run(this);
        } catch (final Throwable t) {
            error = t;
        }
        final long end = clock.nanoTime();
        lastEnd = end;
        release(m);
        run.addBusy(index, end - start);
        if (error == null) {
            if (run.onSuccess(m, out, index, start, end) && m.wasCopied()) {
                pool.interruptOtherAttempts(m);
            }
        } else {
            final Morsel retry = run.onFailure(m, error);
            if (retry != null) {
                pool.offer(retry, TaskQueues.ANY_WORKER);
            }
        }
    }

    /**
     * Clears {@code current}. If another attempt of the range exists, a committer may be interrupting this thread
     * right now, so clear under the lock and swallow a pending interrupt meant for the finished attempt.
     */
    private void release(final Morsel m) {
        if (m.isSpeculative() || m.wasCopied()) {
            synchronized (interruptLock) {
                current = null;
                if (running) {
                    Thread.interrupted();
                }
            }
        } else {
            current = null;
        }
    }

    /** Interrupts this worker if it is still running an attempt of {@code committed}'s range other than it. */
    void interruptIfRunningOtherAttempt(final Morsel committed) {
        synchronized (interruptLock) {
            final Morsel c = current;
            if (c != null && c != committed && c.primary() == committed.primary()) {
                thread.interrupt();
            }
        }
    }

    /** An idle worker copies one straggler of the active stage, if the speculation policy says so, and runs it. */
    private boolean trySpeculate() {
        final SchedulerConfig config = pool.config();
        if (!config.speculation()) {
            return false;
        }
        final StageRun<?> run = pool.activeRun();
        if (run == null || run.isFinished()) {
            return false;
        }
        final long now = clock.nanoTime();
        if (!run.claimSpeculationCheck(now, config.speculationCheckIntervalNanos())) {
            return false;
        }
        final SpeculationPolicy policy = config.speculationPolicy();
        for (int s = 0; s < config.workers(); s++) {
            final Worker other = pool.worker(s);
            final Morsel c = other == null || s == index ? null : other.current;
            if (c == null || c.run != run || c.isSpeculative() || c.wasCopied() || c.isCommitted()) {
                continue;
            }
            if (policy.shouldSpeculate(now - c.startNanos, run.stats()) && c.tryMarkCopied()) {
                final Morsel copy = c.speculativeCopy();
                copy.incrementLive();
                copy.enqueuedAt(now);
                run.countSpeculativeCopy();
                held = copy;
                execute(copy);
                held = null;
                return true;
            }
        }
        return false;
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
        return current.to();
    }

    @Override
    public boolean isSpeculative() {
        return current.isSpeculative();
    }

    @Override
    public boolean isCancelled() {
        final Morsel c = current;
        return !running || thread.isInterrupted() || c == null || c.isCommitted() || c.run.isFinished();
    }

    @Override
    public double slowdown() {
        return faults.slowdown(index);
    }
}
