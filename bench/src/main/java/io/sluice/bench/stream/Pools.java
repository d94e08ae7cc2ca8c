package io.sluice.bench.stream;

import org.agrona.concurrent.BackoffIdleStrategy;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.memory.BufferAllocator;

/** The execution contexts the streaming benchmarks run their per-batch jobs on. */
final class Pools {
    /** Idle workers park at most 100 us, so a micro-batch's stage starts quickly (the default parks up to 1 ms). */
    private static final long MAX_PARK_NANOS = 100_000;

    private Pools() {
    }

    /** A context on {@code allocator} with {@code workers} workers, one shuffle partition per worker. */
    static ExecutionContext create(final String name, final int workers, final SchedulingPolicy policy,
                                   final boolean speculation, final FaultInjection faults, final BufferAllocator allocator) {
        final SchedulerConfig config = SchedulerConfig.builder()
            .name(name)
            .workers(workers)
            .policy(policy)
            .speculation(speculation)
            .faults(faults)
            .idleStrategy(() -> new BackoffIdleStrategy(100, 10, 1_000, MAX_PARK_NANOS))
            .build();
        return ExecutionContext.create(config, allocator, workers);
    }
}
