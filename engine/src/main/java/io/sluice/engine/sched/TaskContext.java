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

    /**
     * Last row of this morsel, exclusive (0 for a task without a range). While a task claims its rows in chunks
     * ({@link #nextChunk}) the end may move down between two reads: another worker took over the unclaimed rest.
     */
    long to();

    /**
     * Claims the next chunk of at most {@code maxRows} (>= 1) rows of this morsel and returns the chunk's exclusive
     * end; the chunk starts at the previous call's return value ({@link #from()} for the first call). Returns the
     * previous end, claiming nothing, once no unclaimed row is left. The task processes exactly the rows it claimed:
     * <pre>{@code
     * long lo = ctx.from();
     * for (long hi; (hi = ctx.nextChunk(1024)) > lo; lo = hi) {
     *     process(lo, hi);
     * }
     * }</pre>
     * A task that claims this way lets an idle worker split off rows nobody claimed yet while it runs (work
     * stealing, when the task is {@link Task#splittable} or {@link Task#merging}): they run as another part of the
     * task and are combined in row order, so the range this attempt ends up covering may end before {@link #to()}
     * as read at its start. A task that claims some chunks must keep claiming until none are left (or throw);
     * returning earlier fails the attempt. A task that never calls it runs its whole range, never split while it
     * runs.
     */
    long nextChunk(long maxRows);

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
