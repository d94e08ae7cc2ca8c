package io.sluice.engine.sched;

/**
 * Per-worker Chase–Lev deques; idle workers steal from random victims and split large morsels; speculation on by default.
 * Placement is {@link WorkStealingTaskQueues}.
 */
public final class WorkStealingScheduler extends PooledScheduler {
    /** Starts the workers of {@code config}, whose policy must be {@link SchedulingPolicy#WORK_STEALING}. */
    public WorkStealingScheduler(final SchedulerConfig config) {
        super(config, SchedulingPolicy.WORK_STEALING);
    }
}
