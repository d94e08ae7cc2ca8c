package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.sluice.bench.Contender;
import io.sluice.bench.TaskCost;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.Stage;

/**
 * Runs a {@link MorselJob} under one {@link Contender} on a {@link ContenderPool}: one unrecorded warm-up run, then
 * {@code repetitions} recorded runs on the same pool, each reported to a listener as it ends.
 */
public final class PolicyRunner {
    private final MorselJob job;
    private final TaskCost cost;
    private final long seed;

    /** A runner of {@code job} with task costs {@code cost}; {@code seed} seeds the work-stealing victims. */
    public PolicyRunner(final MorselJob job, final TaskCost cost, final long seed) {
        this.job = job;
        this.cost = cost;
        this.seed = seed;
    }

    /** Runs {@code contender} {@code repetitions} times after one warm-up; {@code onRun} sees each record. */
    public List<RunRecord> run(final Contender contender, final int repetitions, final Consumer<RunRecord> onRun) {
        return run(contender, repetitions, onRun, PoolWatcher.NONE);
    }

    /**
     * As {@link #run(Contender, int, Consumer)}, with {@code watcher} watching the pool from before the warm-up until
     * after the last run (the watch is closed before the pool).
     */
    @SuppressWarnings("try") // the watch is a resource for its close only
    public List<RunRecord> run(final Contender contender, final int repetitions, final Consumer<RunRecord> onRun,
                               final PoolWatcher watcher) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions=" + repetitions + " must be >= 1");
        }
        final List<RunRecord> records = new ArrayList<>(repetitions);
        final Stage<Long> stage = job.stage(cost);
        try (ContenderPool pool = ContenderPool.open("compare-" + contender.label(), contender, job.workers(),
            this::tune); PoolWatcher.Watch watch = watcher.watch(pool)) {
            pool.run(job, stage, cost, 1);
            for (int r = 1; r <= repetitions; r++) {
                final RunRecord record = pool.run(job, stage, cost, r);
                records.add(record);
                onRun.accept(record);
            }
        }
        return records;
    }

    /**
     * Runs {@code contender} once as repetition {@code repetition} on a pool of its own, after an unrecorded warm-up
     * run on that pool when {@code warmUp}: what an interleaved sweep needs, where contenders take turns.
     */
    public CpuTimedRun once(final Contender contender, final int repetition, final boolean warmUp) {
        final Stage<Long> stage = job.stage(cost);
        try (ContenderPool pool = ContenderPool.open("compare-" + contender.label(), contender, job.workers(),
            this::tune)) {
            if (warmUp) {
                pool.run(job, stage, cost, repetition);
            }
            final Map<Long, Long> before = ThreadCpu.snapshot();
            final RunRecord record = pool.run(job, stage, cost, repetition);
            return new CpuTimedRun(record, ThreadCpu.since(before));
        }
    }

    /**
     * A run and the CPU time all of the JVM's threads used during it (its workers, idle ones polling included, and
     * the caller), or -1 where the JVM does not report per-thread CPU time.
     */
    public record CpuTimedRun(RunRecord record, long cpuNanos) {
    }

    /** Something that watches a contender's pool while its runs go on, e.g. a dashboard. */
    public interface PoolWatcher {
        /** Watches nothing. */
        PoolWatcher NONE = pool -> () -> { };

        /** Starts watching {@code pool}; the harness closes the returned watch after the pool's last run. */
        Watch watch(ContenderPool pool);

        /** An open watch. */
        interface Watch extends AutoCloseable {
            @Override
            void close();
        }
    }

    /** The scheduler configuration used for a Sluice {@code contender}. */
    SchedulerConfig config(final Contender contender) {
        return tune(ContenderPool.config("compare-" + contender.label(), contender, job.workers())).build();
    }

    private SchedulerConfig.Builder tune(final SchedulerConfig.Builder builder) {
        // The comparison is of W workers' placements against a lower bound for W workers (slow ones included): the
        // calling thread only waits, for every policy, instead of running tasks as an extra, never-slowed worker.
        return builder.minMorselRows(job.minMorselRows()).seed(seed).callerRuns(false);
    }
}
