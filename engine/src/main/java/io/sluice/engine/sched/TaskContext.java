package io.sluice.engine.sched;

/**
 * What a running attempt knows about itself. Valid only during {@link TaskFn#run}: the scheduler reuses one context
 * per worker thread, so a task must not keep it.
 */
public interface TaskContext {
    /** Index of the task in its stage. */
    int taskId();

    /** 1 for the first attempt; higher for retries and re-runs. */
    int attempt();

    /** Index of the worker running this attempt, in [0, W); W for the calling thread (caller-runs). */
    int worker();

    /** First row of this morsel (0 for a task without a range). */
    long from();

    /** Last row of this morsel, exclusive (0 for a task without a range). */
    long to();

    /** Whether this attempt is a speculative copy. */
    boolean isSpeculative();

    /**
     * Whether the result can no longer be used: another attempt committed, the stage ended, the pool is closing,
     * or the thread was interrupted. Long tasks should poll it and return early.
     */
    boolean isCancelled();

    /**
     * Cost factor injected for this worker ({@link FaultInjection#slowWorker}): a task with a sleep- or spin-based
     * cost multiplies that cost by it. 1.0 without injection.
     */
    double slowdown();
}
