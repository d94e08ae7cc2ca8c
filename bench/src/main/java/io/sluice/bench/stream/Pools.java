package io.sluice.bench.stream;

import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;

/** The execution contexts the streaming benchmarks run their per-batch jobs on. */
final class Pools {
    private Pools() {
    }

    /** A context on {@code allocator} with {@code workers} workers, one shuffle partition per worker. */
    static ExecutionContext create(final String name, final int workers, final SchedulingPolicy policy,
                                   final boolean speculation, final FaultInjection faults, final BufferAllocator allocator) {
        final boolean callerRuns = SchedulerConfig.builder().placement(policy).build().callerRuns();
        return create(name, workers, policy, speculation, faults, allocator, callerRuns);
    }

    /** As above, with the scheduler's caller-runs on or off ({@link SchedulerConfig#callerRuns()}). */
    static ExecutionContext create(final String name, final int workers, final SchedulingPolicy policy, final boolean speculation,
                                   final FaultInjection faults, final BufferAllocator allocator, final boolean callerRuns) {
        return create(name, workers, policy, speculation, faults, allocator, callerRuns, 0);
    }

    /** As above, the caller running a stage alone for {@code callerWakeDelayNanos} before it wakes the workers. */
    static ExecutionContext create(final String name, final int workers, final SchedulingPolicy policy, final boolean speculation,
                                   final FaultInjection faults, final BufferAllocator allocator, final boolean callerRuns,
                                   final long callerWakeDelayNanos) {
        // Idle workers park at most 100 us, so a micro-batch's stage starts quickly.
        final SchedulerConfig config = BenchSchedulers.quickWake(name, policy, workers)
            .speculation(speculation)
            .faults(faults)
            .callerRuns(callerRuns)
            .callerWakeDelayNanos(callerWakeDelayNanos)
            .build();
        return ExecutionContext.create(config, allocator, workers);
    }
}
