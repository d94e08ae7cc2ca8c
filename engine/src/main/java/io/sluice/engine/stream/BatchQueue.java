package io.sluice.engine.stream;

import java.util.List;

/**
 * The job executor's queue of micro-batches: many producers (the job generator, a stopping thread adding the end
 * marker), one consumer (the executor thread). FIFO; unbounded.
 */
interface BatchQueue {
    /** Queues {@code batch} and wakes the consumer if it waits. Never blocks. */
    void put(MicroBatch batch);

    /** The oldest batch, waiting as long as none is queued; an interrupt ends the wait with InterruptedException. */
    MicroBatch take() throws InterruptedException;

    /**
     * The oldest batch, or null when none came within {@code timeoutNanos} (0: do not wait; {@link Long#MAX_VALUE}:
     * no limit). May return null earlier (a spurious wake-up, or {@link SpinParkBatchQueue}'s consumer unparked by
     * another thread); an interrupt ends the wait with InterruptedException. Consumer thread only.
     */
    MicroBatch poll(long timeoutNanos) throws InterruptedException;

    /** Moves every queued batch to {@code into}, oldest first. Consumer thread only. */
    void drainTo(List<MicroBatch> into);
}
