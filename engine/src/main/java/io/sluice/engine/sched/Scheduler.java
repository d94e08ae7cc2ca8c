package io.sluice.engine.sched;

/**
 * Runs stages to completion on a pool of worker threads with one placement policy. {@link #run} is thread-safe;
 * stages run one at a time (concurrent callers wait). {@link #close()} stops and joins the workers and fails a
 * stage that is still running.
 */
public interface Scheduler extends AutoCloseable {
    /**
     * Runs every task of {@code stage} until each has exactly one committed result. When it returns or throws, no
     * attempt of the stage is still running (see {@link SchedulerConfig#drainTimeoutMillis()}).
     *
     * @throws StageFailedException if a task failed {@code maxAttempts} times, the scheduler was closed meanwhile
     *                              or the caller was interrupted, or an attempt ignored interrupts past the drain
     *                              timeout; the scheduler stays usable (unless closed). An interrupt of the
     *                              caller is kept set; one that arrives after every task committed does not fail
     *                              the stage (the result returns, the flag still set)
     * @throws IllegalStateException if the scheduler is closed
     */
    <R> StageResult<R> run(Stage<R> stage);

    /**
     * Adds a listener of stages and task attempts; may be called at any time (a stage already running reports its
     * later attempts only). Listeners slow the workers by their own cost: keep them short.
     */
    void addListener(SchedulerListener listener);

    /** Removes a listener added with {@link #addListener}; no-op if absent. */
    void removeListener(SchedulerListener listener);

    /** The configuration it was built with. */
    SchedulerConfig config();

    /** Stops and joins the worker threads; idempotent. */
    @Override
    void close();

    /** A scheduler that starts {@code config.workers()} threads placing work with {@code config.placement()}. */
    static Scheduler create(final SchedulerConfig config) {
        return new PooledScheduler(config);
    }
}
