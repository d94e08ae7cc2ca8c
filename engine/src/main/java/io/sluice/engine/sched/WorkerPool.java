package io.sluice.engine.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * W named, non-daemon worker threads ({@code sluice-worker-<pool>-<n>}) over one {@link Placement}. A worker whose
 * loop dies is replaced in the same slot (its queues stay, so its queued morsels run on the replacement) and the
 * morsel it held is re-queued. {@link #close()} stops and joins every worker and fails the active stage.
 */
final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    private static final int TAKEN_STRIDE = 16;

    private final SchedulerConfig config;
    private final Placement placement;
    private final AtomicReferenceArray<Worker> workers;
    /**
     * Morsels taken per slot (for kill injection), {@link #TAKEN_STRIDE} longs apart: a shared line here was
     * written by every worker for every task. Each slot's counter is written only by its current thread.
     */
    private final long[] taken;
    private final int[] generation;
    private final Object lifecycle = new Object();
    private volatile StageRun<?> activeRun;
    private volatile boolean closed;
    /** Threads of workers that died and were replaced, still finishing their death; guarded by {@link #lifecycle}. */
    private final List<Thread> replaced = new ArrayList<>();
    /** The stage caller's share of the work (null when caller-runs is off). */
    private final CallerRuns caller;
    /** Copy-on-write: read once per attempt by the workers, replaced under {@link #lifecycle}. */
    private volatile SchedulerListener[] listeners = new SchedulerListener[0];

    WorkerPool(final SchedulerConfig config, final Placement placement) {
        this.config = config;
        this.placement = placement;
        final int w = config.workers();
        if (placement.workers() != w) {
            throw new IllegalArgumentException("placement.workers=" + placement.workers() + " but config.workers=" + w);
        }
        this.workers = new AtomicReferenceArray<>(w);
        this.taken = new long[w * TAKEN_STRIDE];
        this.generation = new int[w];
        this.caller = config.callerRuns() ? new CallerRuns(this) : null;
        synchronized (lifecycle) {
            for (int i = 0; i < w; i++) {
                final Worker worker = new Worker(this, i, threadName(i, 0));
                workers.set(i, worker);
                worker.start();
            }
        }
    }

    private String threadName(final int slot, final int gen) {
        return "sluice-worker-" + config.name() + "-" + slot + (gen == 0 ? "" : "." + gen);
    }

    SchedulerConfig config() {
        return config;
    }

    void addListener(final SchedulerListener listener) {
        synchronized (lifecycle) {
            final SchedulerListener[] old = listeners;
            final SchedulerListener[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = listener;
            listeners = next;
        }
    }

    void removeListener(final SchedulerListener listener) {
        synchronized (lifecycle) {
            listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(SchedulerListener[]::new);
        }
    }

    SchedulerListener[] listeners() {
        return listeners;
    }

    /** Calls {@code event} on every listener; one that throws is logged and skipped. */
    void notifyListeners(final SchedulerListener[] targets, final Consumer<SchedulerListener> event) {
        for (final SchedulerListener listener : targets) {
            try {
                event.accept(listener);
            } catch (final RuntimeException ex) {
                listenerFailed(listener, ex);
            }
        }
    }

    /**
     * Reports attempt {@code m}, run by {@code worker}, to the listeners ({@code outcome} -1 when it threw), before
     * the worker flushes or disengages from the stage: so every attempt of a stage is reported before its driver
     * returns. An attempt that
     * threw after another attempt of its range committed (a loser interrupted by the winner) is a loser, not a failure.
     */
    void notifyAttempt(final SchedulerListener[] listeners, final StageRun<?> run, final Morsel m, final int worker,
                       final long start, final long end, final int outcome) {
        final Task<?> task = run.task(m.task());
        final int flags = (m.isStolen() ? SchedulerListener.STOLEN : 0) | (m.isSpeculative() ? SchedulerListener.SPECULATIVE : 0)
            | (outcome == -1 && !m.isCommitted() ? SchedulerListener.FAILED
                : outcome > StageRun.NOT_COMMITTED ? SchedulerListener.COMMITTED : 0)
            | (m.from() != task.from() || m.to() != task.to() ? SchedulerListener.SPLIT_PART : 0);
        // A plain loop, not a capturing lambda: nothing allocated per attempt.
        for (final SchedulerListener listener : listeners) {
            try {
                listener.onTaskAttempt(run.stage(), m.task(), m.attempt(), worker, start, end, flags);
            } catch (final RuntimeException ex) {
                listenerFailed(listener, ex);
            }
        }
    }

    void listenerFailed(final SchedulerListener listener, final RuntimeException ex) {
        LOG.warn("scheduler '{}': listener {} threw; ignored", config.name(), listener, ex);
    }

    Placement placement() {
        return placement;
    }

    Worker worker(final int slot) {
        return workers.get(slot);
    }

    /** The caller-runs helper, or null when the calling thread only waits. */
    CallerRuns caller() {
        return caller;
    }

    /** Slots that may run attempts: the workers, plus the caller's pseudo-worker {@code W} with caller-runs. */
    int runners() {
        return workers.length() + (caller == null ? 0 : 1);
    }

    /** The attempt slot {@code s} (a worker, or the caller at {@code W}) is running, or null (racy; for speculation). */
    Morsel runningAttempt(final int s) {
        if (s == workers.length()) {
            return caller == null ? null : caller.current();
        }
        final Worker w = workers.get(s);
        return w == null ? null : w.current();
    }

    /**
     * Nanos per row of slot {@code s}'s chunked attempts (a worker's, or the caller's at {@code W}); NaN before its
     * first one, or while the slot holds no worker yet.
     */
    double rowNanos(final int s) {
        if (s == workers.length()) {
            return caller == null ? Double.NaN : caller.rate().perRow();
        }
        final Worker w = workers.get(s);
        return w == null ? Double.NaN : w.rate().perRow();
    }

    StageRun<?> activeRun() {
        return activeRun;
    }

    void activeRun(final StageRun<?> run) {
        this.activeRun = run;
    }

    boolean isClosed() {
        return closed;
    }

    long countTaken(final int slot) {
        return taken[slot * TAKEN_STRIDE]++;
    }

    /** Queues {@code m} for {@code homeWorker} (or {@link Placement#ANY_WORKER}), stamping its enqueue time. */
    void offer(final Morsel m, final int homeWorker) {
        offer(m, homeWorker, config.clock().nanoTime());
    }

    /** Queues {@code m} with an enqueue time the caller read once for a whole batch. */
    void offer(final Morsel m, final int homeWorker, final long enqueueNanos) {
        m.enqueuedAt(enqueueNanos);
        placement.offer(m, homeWorker);
    }

    /** Wakes every parked worker once, after a stage was published (one unpark per worker, not per task). */
    void wakeAll() {
        for (int i = 0; i < workers.length(); i++) {
            final Worker w = workers.get(i);
            if (w != null) {
                LockSupport.unpark(w.thread());
            }
        }
    }

    /** After {@code committed} won: interrupts workers (and the helping caller) still running another attempt of its range. */
    void interruptOtherAttempts(final Morsel committed) {
        for (int i = 0; i < workers.length(); i++) {
            final Worker w = workers.get(i);
            if (w != null) {
                w.interruptIfRunningOtherAttempt(committed);
            }
        }
        if (caller != null) {
            caller.interruptIfRunningOtherAttempt(committed);
        }
    }

    /**
     * After {@code run} ended: interrupts every worker still running an attempt of it and waits until none is
     * engaged in it, at most {@code timeoutNanos}. Returns null when drained, else a description of the workers
     * that ignore the interrupt (they keep their thread; the pool stays usable with the others meanwhile).
     * Spins briefly, then parks 20 us per check: the common case is a worker finishing its bookkeeping.
     */
    String drain(final StageRun<?> run, final long timeoutNanos) {
        final long deadline = System.nanoTime() + timeoutNanos;
        // A caller's interrupt (already turned into a stage failure) must not turn the parks into a busy spin.
        final boolean callerInterrupted = Thread.interrupted();
        try {
            for (int pass = 0; ; pass++) {
                // Built only once late: the common pass (a worker finishing its bookkeeping) allocates nothing.
                StringBuilder stuck = null;
                boolean engaged = false;
                final boolean late = System.nanoTime() - deadline > 0;
                for (int i = 0; i < workers.length(); i++) {
                    final Worker w = workers.get(i);
                    if (w != null && w.engaged() == run) {
                        w.interruptIfRunning(run);
                        engaged = true;
                        if (late) {
                            if (stuck == null) {
                                stuck = new StringBuilder();
                            }
                            final Morsel c = w.current();
                            stuck.append(stuck.length() == 0 ? "" : ", ").append("worker '").append(w.thread().getName())
                                .append("' running ").append(c == null ? "bookkeeping" : "task=" + c.task() + " attempt="
                                + c.attempt() + (c.isSpeculative() ? " (speculative)" : ""));
                        }
                    }
                }
                if (!engaged) {
                    return null;
                }
                if (late) {
                    return stuck.toString();
                }
                if (pass < 64) {
                    Thread.onSpinWait();
                } else if (pass < 80) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000L);
                }
            }
        } finally {
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called on the dying worker's own thread: re-queue what it held, start a replacement unless closing. */
    void onWorkerDeath(final Worker dead, final Morsel held, final Throwable cause) {
        final int slot = dead.index();
        final SchedulerListener[] targets = listeners;
        if (targets.length != 0) {
            final StageRun<?> stageRun = held != null && held.run != null ? held.run : activeRun;
            final long now = config.clock().nanoTime();
            notifyListeners(targets, l -> l.onWorkerReplaced(stageRun == null ? null : stageRun.stage(), slot, now));
        }
        if (held != null && held.run != null) {
            final Morsel again = held.run.onWorkerDied(held);
            if (again != null) {
                offer(again, Placement.ANY_WORKER);
            }
        }
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            LOG.warn("worker {} died; replacing it", dead.thread().getName(), cause);
            // The dying thread still runs after this returns: close() joins it too, so no thread outlives the pool.
            replaced.removeIf(t -> !t.isAlive());
            replaced.add(dead.thread());
            final Worker replacement = new Worker(this, slot, threadName(slot, ++generation[slot]));
            workers.set(slot, replacement);
            // Thread.start orders everything this thread did to the slot's queue before the replacement's first poll.
            replacement.start();
        }
    }

    /** Fails the active stage, stops and joins every worker; a worker that does not stop in time is logged. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        final StageRun<?> run = activeRun;
        if (run != null) {
            run.failExternally("scheduler '" + config.name() + "' closed while it ran");
        }
        for (int i = 0; i < workers.length(); i++) {
            workers.get(i).stop();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMillis());
        final List<Thread> threads = new ArrayList<>();
        synchronized (lifecycle) {
            threads.addAll(replaced);
        }
        for (int i = 0; i < workers.length(); i++) {
            threads.add(workers.get(i).thread());
        }
        boolean interrupted = false;
        for (final Thread t : threads) {
            while (t.isAlive()) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.error("worker {} did not stop within {} ms; its task ignores interrupts", t.getName(),
                        config.closeTimeoutMillis());
                    break;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (final InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
