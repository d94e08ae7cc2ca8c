package io.sluice.engine.stream;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

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
    public void drainTo(final List<MicroBatch> into) {
        queue.drainTo(into);
    }
}
