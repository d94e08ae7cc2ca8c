package io.sluice.engine.stream;

/**
 * How the job generator hands a cut micro-batch to the job executor's thread. Either way batches are run one at
 * a time in the order they were cut, none is lost, and the queue is unbounded in batches (their memory is bounded
 * by each input's budget).
 */
public enum HandOff {
    /**
     * The default: a lock-free queue; an idle executor spins briefly (a few microseconds), then parks until the
     * generator unparks it, so a batch that arrives while it spins starts without a thread wake-up.
     */
    SPIN_THEN_PARK,
    /**
     * As {@link #SPIN_THEN_PARK}, and an idle job executor cuts the next batch itself: it waits for the boundary
     * (a timed park), cuts, and runs the batch on the same thread, so no thread wakes
     * another between the boundary and the jobs. The job generator's thread cuts only the boundaries the executor,
     * busy with an earlier batch, has not cut shortly after they passed, so a slow batch still queues batches
     * rather than moving boundaries. Needs {@link SystemStreamClock} (a timed park); on another clock (a test's
     * {@link ManualStreamClock}) only the generator cuts, as with {@link #SPIN_THEN_PARK}.
     */
    CUT_ON_JOB_THREAD,
    /** A {@link java.util.concurrent.LinkedBlockingQueue} (a lock and a condition per batch): the earlier hand-off, for comparison. */
    BLOCKING_QUEUE;

    /** A new queue of this kind whose consumer is {@code consumer}'s thread. */
    BatchQueue newQueue(final OwnThread consumer) {
        return this == BLOCKING_QUEUE ? new BlockingBatchQueue() : new SpinParkBatchQueue(consumer);
    }

    /**
     * {@link #CUT_ON_JOB_THREAD}: how long after a boundary the generator's thread cuts it if the job executor has
     * not (half an interval, at most 1 ms), so it only cuts for a busy executor.
     */
    static long backupDelayNanos(final long intervalMillis) {
        return Math.min(intervalMillis * 500_000L, 1_000_000L);
    }
}
