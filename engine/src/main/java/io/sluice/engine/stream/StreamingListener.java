package io.sluice.engine.stream;

/**
 * Receives the life of every micro-batch and receiver errors. Called on the context's own threads (submitted on
 * the thread that cut the batch: the job generator, or with {@link HandOff#CUT_ON_JOB_THREAD} also the job
 * executor; started/completed on the job executor), in order per batch; keep callbacks short. An
 * exception thrown by a listener is logged and does not stop the stream.
 */
public interface StreamingListener {
    /** The job generator cut the batch and queued it. */
    default void onBatchSubmitted(final BatchInfo info) {
    }

    /** The batch's jobs started. */
    default void onBatchStarted(final BatchInfo info) {
    }

    /** The batch's jobs finished ({@link BatchInfo#failure()} says whether one threw). */
    default void onBatchCompleted(final BatchInfo info) {
    }

    /** A source hit an error it reported (it keeps running unless it says otherwise). */
    default void onReceiverError(final String sourceName, final String what, final Throwable error) {
    }
}
