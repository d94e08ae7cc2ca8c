package io.sluice.engine.sched;

/**
 * Task i runs on worker i mod W and never moves: the baseline dynamic policies are measured against.
 * Placement is {@link StaticTaskQueues}.
 */
public final class StaticScheduler extends PooledScheduler {
    /** Starts the workers of {@code config}, whose policy must be {@link SchedulingPolicy#STATIC}. */
    public StaticScheduler(final SchedulerConfig config) {
        super(config, SchedulingPolicy.STATIC);
    }
}
