package io.sluice.engine.stream;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * {@link HandOff#SPIN_THEN_PARK}: a JCTools multi-producer single-consumer unbounded array queue (it allocates a
 * chunk per {@value #CHUNK} batches, nothing per batch); the consumer spins {@value #SPINS} polls, then parks.
 *
 * <p>No lost wake-up: every {@link #put} unparks the consumer after its offer, and a park permit is sticky, so an
 * offer that lands between the consumer's last empty poll and its park makes that park return at once; the
 * consumer polls again after every return from park (spurious returns included).
 */
final class SpinParkBatchQueue implements BatchQueue {
    /** Polls before parking: a few microseconds, short next to a 1 ms interval, long next to an unpark's cost. */
    static final int SPINS = 256;
    private static final int CHUNK = 64;

    private final MpscUnboundedArrayQueue<MicroBatch> queue = new MpscUnboundedArrayQueue<>(CHUNK);
    private final OwnThread consumer;

    SpinParkBatchQueue(final OwnThread consumer) {
        this.consumer = consumer;
    }

    @Override
    public void put(final MicroBatch batch) {
        queue.offer(batch);
        consumer.unpark();
    }

    @Override
    public MicroBatch take() throws InterruptedException {
        while (true) {
            for (int i = 0; i < SPINS; i++) {
                final MicroBatch batch = queue.relaxedPoll();
                if (batch != null) {
                    return batch;
                }
                Thread.onSpinWait();
            }
            final MicroBatch batch = queue.poll();
            if (batch != null) {
                return batch;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a micro-batch");
            }
            LockSupport.park(this);
        }
    }

    @Override
    public MicroBatch poll(final long timeoutNanos) throws InterruptedException {
        final MicroBatch batch = queue.poll();
        if (batch != null || timeoutNanos <= 0) {
            return batch;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for a micro-batch");
        }
        if (timeoutNanos == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
        return queue.poll();
    }

    @Override
    public void drainTo(final List<MicroBatch> into) {
        for (MicroBatch batch = queue.poll(); batch != null; batch = queue.poll()) {
            into.add(batch);
        }
    }
}
