package io.sluice.bench.sched;

import io.sluice.engine.sched.SchedulingPolicy;

/** The contenders: the three Sluice policies and ForkJoinPool as a peer. */
public enum Policy {
    STATIC(SchedulingPolicy.STATIC),
    CENTRAL_QUEUE(SchedulingPolicy.CENTRAL_QUEUE),
    WORK_STEALING(SchedulingPolicy.WORK_STEALING),
    FORK_JOIN(null);

    private final SchedulingPolicy sluice;

    Policy(final SchedulingPolicy sluice) {
        this.sluice = sluice;
    }

    /** The Sluice policy, or null for ForkJoinPool. */
    public SchedulingPolicy sluice() {
        return sluice;
    }
}
