package io.sluice.engine.sched;

/**
 * Observes a {@link Scheduler}'s stages and every task attempt they ran: what a dashboard needs to draw a timeline
 * per worker. Register with {@link Scheduler#addListener}. Stage callbacks run on the thread that called
 * {@link Scheduler#run} (one stage at a time); attempt callbacks run on the worker thread that ran the attempt,
 * after it was reported, and every attempt of a stage is reported before {@link #onStageFinished}. Callbacks must
 * be short and must not block: they run on the workers' hot path. An exception thrown by a listener is logged and
 * does not affect the stage.
 */
public interface SchedulerListener {
    /** Flag: the attempt was taken from another worker's share or queue. */
    int STOLEN = 1;
    /** Flag: the attempt is a speculative copy of a straggler. */
    int SPECULATIVE = 2;
    /** Flag: the attempt committed its rows (the winner); without it and {@link #FAILED} it lost the race. */
    int COMMITTED = 4;
    /** Flag: the attempt threw (a retry follows unless the task used up its attempts). */
    int FAILED = 8;
    /** Flag: the attempt ran a part of a split morsel task, not the whole task. */
    int SPLIT_PART = 16;

    /** Stage {@code stage} was published to {@code workers} workers at {@code startNanos} (scheduler clock). */
    default void onStageStarted(final Stage<?> stage, final int workers, final long startNanos) {
    }

    /**
     * Worker {@code worker} ran attempt {@code attempt} (1 = first; higher = a retry or a re-run after a worker
     * died) of task {@code task} from {@code startNanos} to {@code endNanos} (scheduler clock; tiny tasks share a
     * clock read, see {@link StageMetrics#runNanos}); {@code flags} combines {@link #STOLEN}, {@link #SPECULATIVE},
     * {@link #COMMITTED}, {@link #FAILED} and {@link #SPLIT_PART}.
     */
    default void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                               final long endNanos, final int flags) {
    }

    /** Worker {@code worker}'s thread died while {@code stage} (null if none) was active and was replaced. */
    default void onWorkerReplaced(final Stage<?> stage, final int worker, final long nanos) {
    }

    /** {@code stage} ended at {@code endNanos}: {@code summary} when it succeeded, null when it failed. */
    default void onStageFinished(final Stage<?> stage, final StageSummary summary, final long endNanos) {
    }
}
