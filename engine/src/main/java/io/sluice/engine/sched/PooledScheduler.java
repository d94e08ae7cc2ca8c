package io.sluice.engine.sched;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threaded {@link Scheduler} every policy shares: a {@link WorkerPool} over the policy's {@link Placement}.
 * The stage is published to the workers, which claim the first attempts of its tasks by index
 * ({@link Placement.Claims}); retries, split parts and re-runs go through the placement's queues.
 */
final class PooledScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final WorkerPool pool;
    private final ReentrantLock stageLock = new ReentrantLock();

    PooledScheduler(final SchedulerConfig config) {
        this.config = config;
        this.pool = new WorkerPool(config, config.newPlacement());
    }

    @Override
    public <R> StageResult<R> run(final Stage<R> stage) {
        stageLock.lock();
        try {
            if (pool.isClosed()) {
                throw new IllegalStateException("scheduler '" + config.name() + "' is closed; cannot run stage '"
                    + stage.name() + "'");
            }
            final StageRun<R> run = new StageRun<>(stage, config, pool.placement().newClaims(stage.size()), pool.caller());
            // Before publishing: workers may pick the stage up before wakeAll, and listeners see its start first.
            final SchedulerListener[] listeners = pool.listeners();
            if (listeners.length != 0) {
                pool.notifyListeners(listeners, l -> l.onStageStarted(stage, config.workers(), run.startNanos()));
            }
            pool.activeRun(run);
            // Re-check: a close() that missed activeRun must still fail this stage.
            if (pool.isClosed()) {
                run.failExternally("scheduler '" + config.name() + "' closed");
            }
            // Published once: each worker claims its own share of task indices (Placement.Claims), so the caller queues
            // nothing per task; queue waits count from the stage's start. With caller-runs this thread claims and runs
            // tasks too (waking the workers), and waits only once nothing is left to claim.
            final CallerRuns caller = pool.caller();
            final Throwable callerError = caller == null ? null : caller.help(run);
            if (caller == null) {
                pool.wakeAll();
            }
            run.awaitDone();
            // Lifecycle guarantee: nothing of this stage runs once run() returns or throws.
            final String stuck = pool.drain(run, TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMillis()));
            StageResult<R> result = null;
            try {
                result = run.outcome(stuck);
                return result;
            } catch (final StageFailedException ex) {
                if (callerError != null) {
                    ex.addSuppressed(callerError);
                }
                throw ex;
            } finally {
                if (listeners.length != 0) {
                    final StageSummary summary = result == null ? null : result.summary();
                    pool.notifyListeners(listeners, l -> l.onStageFinished(stage, summary, config.clock().nanoTime()));
                }
            }
        } finally {
            pool.activeRun(null);
            stageLock.unlock();
        }
    }

    @Override
    public void addListener(final SchedulerListener listener) {
        pool.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(final SchedulerListener listener) {
        pool.removeListener(listener);
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Scheduler{" + config + "}";
    }
}
