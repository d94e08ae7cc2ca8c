package io.sluice.bench;

import org.agrona.concurrent.BackoffIdleStrategy;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;

/** The scheduler configuration every benchmark starts from. */
public final class BenchSchedulers {
    private BenchSchedulers() {
    }

    /**
     * A builder for {@code workers} workers of {@code policy} whose idle workers park at most 100 us, so a new stage
     * starts quickly (the default parks up to 1 ms, which would dominate a stage of a few milliseconds).
     */
    public static SchedulerConfig.Builder quickWake(final String name, final SchedulingPolicy policy, final int workers) {
        return SchedulerConfig.builder()
            .name(name)
            .policy(policy)
            .workers(workers)
            .idleStrategy(() -> new BackoffIdleStrategy(100, 10, 1_000, 100_000));
    }
}
