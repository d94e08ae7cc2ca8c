package io.sluice.engine.dataset;

import io.sluice.memory.Batch;

/**
 * The input of one stage: a batch per task. {@link #get} may run concurrently (and more than once per task, for
 * retries and speculative copies); {@link #close()} runs on the driver after the stage and releases what the input
 * holds, after which {@link #get} throws rather than read freed memory.
 */
interface StageInput extends AutoCloseable {
    /** A batch for task {@code k} that the caller owns (one reference) and must release. */
    Batch get(int k);

    /** Rows of task {@code k}'s batch if known before the stage runs (so the task may split), else -1. */
    default long rows(final int k) {
        return -1;
    }

    @Override
    void close();
}
