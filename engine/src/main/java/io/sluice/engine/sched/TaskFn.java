package io.sluice.engine.sched;

/**
 * The body of a task. It may run more than once (retries, speculative copies), possibly concurrently, so it must
 * not have side effects beyond its return value; only one run's result is committed.
 *
 * @param <R> result type
 */
@FunctionalInterface
public interface TaskFn<R> {
    /** Computes the result for {@code ctx.from()..ctx.to()}; may throw to fail this attempt. */
    R run(TaskContext ctx) throws Exception;
}
