package io.sluice.bench.sched;

import java.util.concurrent.ForkJoinPool;
import java.util.function.UnaryOperator;

import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;

/** What a scheduling benchmark runs on: a Sluice scheduler of one policy, or a ForkJoinPool for the peer. */
final class PolicyPool implements AutoCloseable {
    private final Scheduler scheduler;
    private final ForkJoinPool forkJoin;

    private PolicyPool(final Scheduler scheduler, final ForkJoinPool forkJoin) {
        this.scheduler = scheduler;
        this.forkJoin = forkJoin;
    }

    /** Opens {@code workers} workers of {@code policy}; {@code tune} adjusts the Sluice configuration. */
    static PolicyPool open(final String name, final Policy policy, final int workers, final UnaryOperator<SchedulerConfig.Builder> tune) {
        if (policy == Policy.FORK_JOIN) {
            return new PolicyPool(null, new ForkJoinPool(workers));
        }
        return new PolicyPool(Scheduler.create(tune.apply(BenchSchedulers.quickWake(name, policy.sluice(), workers)).build()), null);
    }

    /** The Sluice scheduler, or null for ForkJoinPool. */
    Scheduler scheduler() {
        return scheduler;
    }

    /** The ForkJoinPool, or null for a Sluice policy. */
    ForkJoinPool forkJoin() {
        return forkJoin;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (forkJoin != null) {
            forkJoin.shutdown();
        }
    }
}
