package io.sluice.engine.sched;

/** The placement policies a {@link Scheduler} can run, each with its {@link TaskQueues}. */
public enum SchedulingPolicy {
    /** Task i runs on worker i mod W and never moves. */
    STATIC,
    /** One MPMC queue all workers pull from. */
    CENTRAL_QUEUE,
    /** Per-worker deques; idle workers steal from random victims; morsels split when taken. */
    WORK_STEALING;

    /** New, empty queues of this policy; the same objects a simulator drives from one thread. */
    public TaskQueues newQueues(final int workers, final long minMorselRows, final long seed) {
        switch (this) {
            case STATIC:
                return new StaticTaskQueues(workers);
            case CENTRAL_QUEUE:
                return new CentralTaskQueues(workers, minMorselRows);
            case WORK_STEALING:
                return new WorkStealingTaskQueues(workers, minMorselRows, seed);
            default:
                throw new IllegalStateException("policy=" + this + " has no queues");
        }
    }
}
