package io.sluice.engine.sched;

/**
 * Every worker pulls from one JCTools MPMC queue (Spark-driver style).
 * Placement is {@link CentralTaskQueues}.
 */
public final class CentralQueueScheduler extends PooledScheduler {
    /** Starts the workers of {@code config}, whose policy must be {@link SchedulingPolicy#CENTRAL_QUEUE}. */
    public CentralQueueScheduler(final SchedulerConfig config) {
        super(config, SchedulingPolicy.CENTRAL_QUEUE);
    }
}
