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

    /**
     * Rows {@code [from, to)} of task {@code k}'s batch, owned by the caller; only for a task whose {@link #rows} is
     * known. By default a zero-copy slice of {@link #get}; an input that can produce a range alone overrides it.
     */
    default Batch get(final int k, final long from, final long to) {
        final Batch whole = get(k);
        if (from == 0 && to == whole.rowCount()) {
            return whole;
        }
        try {
            return whole.slice((int) from, (int) to);
        } finally {
            whole.release();
        }
    }

    /**
     * Rows of task {@code k}'s batch if known before the stage runs (so the task may run in chunks and split), else
     * -1. An input that knows them must make {@link #get(int, long, long)} cheap next to the chunk's work.
     */
    default long rows(final int k) {
        return -1;
    }

    @Override
    void close();
}
