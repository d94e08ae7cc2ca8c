package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * Runs one task per partition on the context's scheduler and returns exactly one output per task, on the
 * scheduler's own commit protocol: a large task whose output can be merged is a {@link Task#merging} task (its
 * parts' outputs merged in row order, in one pass, by the scheduler), every other task runs whole, and every output
 * nobody will see (a losing speculative copy, the outputs of a failed stage) goes to {@code discard} through the
 * stage's discarder ({@link Stage#onDiscard}).
 */
final class PartitionStage {
    /** Marks a task that runs whole: its input size is unknown before it runs, or its output cannot be merged. */
    static final long WHOLE = -1;

    /** A task body: the output for rows {@code [from, to)} of task {@code k}, or all rows if {@code to < 0}. */
    @FunctionalInterface
    interface Body<R> {
        R run(int k, int from, int to, TaskContext ctx);
    }

    /** Merges the outputs of a split task's parts, given in row order; takes ownership of them. */
    @FunctionalInterface
    interface Merger<R> {
        R merge(List<R> parts);
    }

    /** Outputs by task index, the worker whose attempt produced each (the first part's), and parts per task. */
    static final class Result<R> {
        final List<R> values;
        final int[] workers;
        final int[] parts;

        Result(final List<R> values, final int[] workers, final int[] parts) {
            this.values = values;
            this.workers = workers;
            this.parts = parts;
        }
    }

    private PartitionStage() {
    }

    /**
     * Runs {@code rows.length} tasks; task {@code k} is a splittable morsel task over {@code [0, rows[k])} when
     * {@code rows[k] >= 0}, {@code merger} is not null and the task is large for its stage (see
     * {@link #splitThreshold}), else one whole task. Outputs the caller will never see go to {@code discard}.
     */
    static <R> Result<R> run(final ExecutionContext ctx, final String name, final long[] rows, final Body<R> body,
                             final Merger<R> merger, final Consumer<R> discard) {
        final int tasks = rows.length;
        final List<Task<R>> list = new ArrayList<>(tasks);
        final long threshold = splitThreshold(rows, ctx.scheduler().config().workers());
        for (int i = 0; i < tasks; i++) {
            final int k = i;
            if (merger != null && rows[k] > threshold) {
                list.add(Task.merging(0, rows[k], tc -> body.run(k, (int) tc.from(), (int) tc.to(), tc), merger::merge));
            } else {
                list.add(Task.of(tc -> body.run(k, 0, (int) WHOLE, tc)));
            }
        }
        final StageResult<R> result = ctx.runStage(Stage.of(name, list, discard));
        final int[] workers = new int[tasks];
        final int[] parts = new int[tasks];
        for (int k = 0; k < tasks; k++) {
            workers[k] = result.metrics().worker(k);
            parts[k] = result.metrics().parts(k);
        }
        return new Result<>(result.results(), workers, parts);
    }

    /**
     * Tasks above this many rows are offered as splittable morsels. Splitting every task costs a partial result per
     * morsel (for an aggregation, a partial aggregate each, which the exchange then carries), so only tasks that
     * unbalance the stage split: those over twice the mean task, or over half a worker's fair share (so a stage of
     * fewer tasks than workers still spreads). Tasks of unknown size ({@code rows[k] < 0}) never split.
     */
    static long splitThreshold(final long[] rows, final int workers) {
        long total = 0;
        int known = 0;
        for (final long r : rows) {
            if (r >= 0) {
                total += r;
                known++;
            }
        }
        if (known == 0) {
            return Long.MAX_VALUE;
        }
        return Math.min(2 * total / known, total / (2L * workers));
    }
}
