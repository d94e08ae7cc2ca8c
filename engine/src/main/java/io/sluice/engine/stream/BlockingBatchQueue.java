package io.sluice.engine.stream;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@link HandOff#BLOCKING_QUEUE}: a {@link LinkedBlockingQueue} (a node, a lock and a condition signal per batch). */
final class BlockingBatchQueue implements BatchQueue {
    private final LinkedBlockingQueue<MicroBatch> queue = new LinkedBlockingQueue<>();

    @Override
    public void put(final MicroBatch batch) {
        queue.add(batch);
    }

    @Override
    public MicroBatch take() throws InterruptedException {
        return queue.take();
    }

    @Override
    public MicroBatch poll(final long timeoutNanos) throws InterruptedException {
        return queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void drainTo(final List<MicroBatch> into) {
        queue.drainTo(into);
    }
}
