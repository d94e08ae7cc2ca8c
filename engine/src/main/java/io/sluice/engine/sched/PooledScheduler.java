package io.sluice.engine.sched;

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
            final StageRun<R> run = new StageRun<>(stage, config, pool.placement().newClaims(stage.size()));
            pool.activeRun(run);
            // Re-check: a close() that missed activeRun must still fail this stage.
            if (pool.isClosed()) {
                run.failExternally("scheduler '" + config.name() + "' closed");
            }
            // Published once: each worker claims its own share of task indices (Placement.Claims), so the caller queues
            // nothing per task; queue waits count from the stage's start.
            pool.wakeAll();
            run.awaitDone();
            // Lifecycle guarantee: nothing of this stage runs once run() returns or throws.
            final String stuck = pool.drain(run, TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMillis()));
            return run.outcome(stuck);
        } finally {
            pool.activeRun(null);
            stageLock.unlock();
        }
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
