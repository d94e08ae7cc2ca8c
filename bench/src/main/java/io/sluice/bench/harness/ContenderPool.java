package io.sluice.bench.harness;

import java.util.concurrent.ForkJoinPool;
import java.util.function.UnaryOperator;

import io.sluice.bench.BenchSchedulers;
import io.sluice.bench.Contender;
import io.sluice.bench.TaskCost;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.StageSummary;
import io.sluice.engine.sched.WorkStealingPlacement;

/**
 * What every scheduling measurement runs on, the compare-scheduling harness and the JMH scheduling benchmarks alike:
 * a Sluice scheduler of one {@link Contender} (idle workers park at most 100 us, so a new stage is noticed quickly),
 * or a ForkJoinPool for the peer. {@link #run} runs a {@link MorselJob} once and returns its {@link RunRecord}.
 * Close it to stop the threads.
 */
public final class ContenderPool implements AutoCloseable {
    private final Contender contender;
    private final Scheduler scheduler;
    private final ForkJoinPool forkJoin;

    private ContenderPool(final Contender contender, final Scheduler scheduler, final ForkJoinPool forkJoin) {
        this.contender = contender;
        this.scheduler = scheduler;
        this.forkJoin = forkJoin;
    }

    /** Opens {@code workers} workers of {@code contender}; {@code tune} adjusts a Sluice contender's configuration. */
    public static ContenderPool open(final String name, final Contender contender, final int workers,
                                     final UnaryOperator<SchedulerConfig.Builder> tune) {
        if (!contender.isSluice()) {
            return new ContenderPool(contender, null, new ForkJoinPool(workers));
        }
        return new ContenderPool(contender, Scheduler.create(tune.apply(config(name, contender, workers)).build()), null);
    }

    /**
     * The Sluice configuration of {@code contender} before tuning: its policy and speculation, quick wake-up, the
     * timer slack of the {@code -slack-1us} variant.
     */
    public static SchedulerConfig.Builder config(final String name, final Contender contender, final int workers) {
        final SchedulerConfig.Builder builder = BenchSchedulers.quickWake(name, contender.sluicePolicy(), workers)
            .speculation(contender.speculation());
        if (contender.timerSlackNanos() != null) {
            builder.timerSlackNanos(contender.timerSlackNanos());
        }
        if (!contender.splitRunning()) {
            return builder.placement(WorkStealingPlacement.withoutRunningSplits());
        }
        return contender.splitShare() == null ? builder : builder.placement(WorkStealingPlacement.sharing(contender.splitShare()));
    }

    public Contender contender() {
        return contender;
    }

    /** The Sluice scheduler, or null for ForkJoinPool. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The ForkJoinPool, or null for a Sluice contender. */
    public ForkJoinPool forkJoin() {
        return forkJoin;
    }

    /**
     * Runs {@code job} once as repetition {@code repetition}; {@code stage} is {@code job.stage(cost)}, built once by
     * the caller. Every task must commit each of its rows exactly once, else the run fails.
     */
    public RunRecord run(final MorselJob job, final Stage<Long> stage, final TaskCost cost, final int repetition) {
        if (forkJoin != null) {
            return ForkJoinPeer.run(forkJoin, job, cost, repetition);
        }
        final StageResult<Long> result = scheduler.run(stage);
        final StageSummary summary = result.summary();
        final long[] busy = new long[summary.workers()];
        for (int w = 0; w < busy.length; w++) {
            busy[w] = summary.busyNanos(w);
        }
        return new RunRecord(contender, repetition, summary.makespanNanos(), busy, summary.steals(),
            summary.speculativeCopies(), summary.retries(), committedTasks(job, result), job.tasks());
    }

    /**
     * Tasks whose committed result counts each of their rows exactly once (a task sums the rows of its committed
     * parts, so a part committed twice or never shows); fails the run if any task is off.
     */
    private static int committedTasks(final MorselJob job, final StageResult<Long> result) {
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
