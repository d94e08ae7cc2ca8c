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
    /** A {@link java.util.concurrent.LinkedBlockingQueue} (a lock and a condition per batch): the earlier hand-off, for comparison. */
    BLOCKING_QUEUE;

    /** A new queue of this kind whose consumer is {@code consumer}'s thread. */
    BatchQueue newQueue(final OwnThread consumer) {
        return this == SPIN_THEN_PARK ? new SpinParkBatchQueue(consumer) : new BlockingBatchQueue();
    }
}
