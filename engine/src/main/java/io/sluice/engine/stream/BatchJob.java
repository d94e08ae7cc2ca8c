package io.sluice.engine.stream;

import io.sluice.memory.Batch;

/**
 * Work run on one input stream's micro-batch. The batch belongs to the context and is released after every job
 * of that batch time has returned: retain it to keep it longer. Runs on the job executor thread, one batch at a
 * time in batch-time order. A thrown exception fails the batch and stops the stream (see
 * {@link StreamingContext#stop(boolean)}).
 */
@FunctionalInterface
public interface BatchJob {
    void process(long batchTimeMillis, Batch batch) throws Exception;
}
