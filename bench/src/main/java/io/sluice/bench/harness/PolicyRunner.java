package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.sluice.bench.BenchSchedulers;
import io.sluice.bench.TaskCost;
import io.sluice.bench.cli.PolicyName;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.StageSummary;

/**
 * Runs a {@link MorselJob} under one {@link PolicyName}: one unrecorded warm-up run, then {@code repetitions}
 * recorded runs on the same pool, each reported to a listener as it ends. Sluice pools park at most 100 us when
 * idle (as in the JMH scheduling benchmark), so a new stage is noticed quickly.
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

    /** Runs {@code policy} {@code repetitions} times after one warm-up; {@code onRun} sees each record. */
    public List<RunRecord> run(final PolicyName policy, final int repetitions, final Consumer<RunRecord> onRun) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions=" + repetitions + " must be >= 1");
        }
        final List<RunRecord> records = new ArrayList<>(repetitions);
        if (policy == PolicyName.FORK_JOIN) {
            try (ForkJoinPeer peer = new ForkJoinPeer(job.workers())) {
                peer.run(job, cost, 1);
                for (int r = 1; r <= repetitions; r++) {
                    final RunRecord record = peer.run(job, cost, r);
                    records.add(record);
                    onRun.accept(record);
                }
            }
            return records;
        }
        final Stage<Long> stage = job.stage(cost);
        try (Scheduler scheduler = Scheduler.create(config(policy))) {
            scheduler.run(stage);
            for (int r = 1; r <= repetitions; r++) {
                final StageResult<Long> result = scheduler.run(stage);
                final RunRecord record = record(policy, r, result.summary(), committedTasks(result));
                records.add(record);
                onRun.accept(record);
            }
        }
        return records;
    }

    /** The scheduler configuration used for {@code policy} (not ForkJoinPool). */
    SchedulerConfig config(final PolicyName policy) {
        return BenchSchedulers.quickWake("compare-" + policy.label(), sluicePolicy(policy), job.workers())
            .speculation(policy == PolicyName.WORK_STEALING_SPECULATION)
            .minMorselRows(job.minMorselRows())
            .seed(seed)
            .build();
    }

    /** The engine policy behind a harness policy name; ForkJoinPool has none. */
    static SchedulingPolicy sluicePolicy(final PolicyName policy) {
        switch (policy) {
            case STATIC:
                return SchedulingPolicy.STATIC;
            case CENTRAL_QUEUE:
                return SchedulingPolicy.CENTRAL_QUEUE;
            case WORK_STEALING:
            case WORK_STEALING_SPECULATION:
                return SchedulingPolicy.WORK_STEALING;
            default:
                throw new IllegalArgumentException("policy=" + policy.label() + " is not a Sluice scheduling policy");
        }
    }

    /**
     * Tasks whose committed result counts each of their rows exactly once (a task sums the rows of its committed
     * parts, so a part committed twice or never shows); fails the run if any task is off.
     */
    private int committedTasks(final StageResult<Long> result) {
        int committed = 0;
        for (int i = 0; i < job.tasks(); i++) {
            final Long rows = result.result(i);
            if (rows == null || rows != job.rows(i)) {
                throw new IllegalStateException("task=" + i + " committed rows=" + rows + " but has rows=" + job.rows(i));
            }
            committed++;
        }
        return committed;
    }

    private RunRecord record(final PolicyName policy, final int repetition, final StageSummary summary,
                             final int committed) {
        final long[] busy = new long[summary.workers()];
        for (int w = 0; w < busy.length; w++) {
            busy[w] = summary.busyNanos(w);
        }
        return new RunRecord(policy, repetition, summary.makespanNanos(), busy, summary.steals(),
            summary.speculativeCopies(), summary.retries(), committed, job.tasks());
    }
}
