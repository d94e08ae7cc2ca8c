package io.sluice.engine.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threaded {@link Scheduler} all policies share: a {@link WorkerPool} over the policy's {@link TaskQueues}.
 * Task i of a stage is offered for home worker i mod W; the policy decides where it really runs.
 */
abstract class PooledScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final WorkerPool pool;
    private final ReentrantLock stageLock = new ReentrantLock();

    PooledScheduler(final SchedulerConfig config, final SchedulingPolicy policy) {
        if (config.policy() != policy) {
            throw new IllegalArgumentException("config.policy=" + config.policy() + " but this scheduler runs " + policy);
        }
        this.config = config;
        this.pool = new WorkerPool(config, config.newQueues());
    }

    @Override
    public <R> StageResult<R> run(final Stage<R> stage) {
        stageLock.lock();
        try {
            if (pool.isClosed()) {
                throw new IllegalStateException("scheduler '" + config.name() + "' is closed; cannot run stage '"
                    + stage.name() + "'");
            }
            final StageRun<R> run = new StageRun<>(stage, config);
            pool.activeRun(run);
            // Re-check: a close() that missed activeRun must still fail this stage.
            if (pool.isClosed()) {
                run.failExternally("scheduler '" + config.name() + "' closed");
            }
            final int workers = config.workers();
            // One clock read for the whole batch: queue waits count from the stage's submission.
            final long submitted = config.clock().nanoTime();
            for (int i = 0; i < run.tasks(); i++) {
                pool.offer(run.initialMorsel(i), i % workers, submitted);
            }
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
        return getClass().getSimpleName() + "{" + config + "}";
    }
}
