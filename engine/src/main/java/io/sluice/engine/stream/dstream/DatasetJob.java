package io.sluice.engine.stream.dstream;

import io.sluice.engine.dataset.Dataset;

/**
 * An output operation of a {@link DStream}: work on the stream's dataset of one batch time. Runs on the job
 * executor thread, one batch time at a time in batch-time order; the dataset (and anything derived from it) is
 * valid only until this call returns. A thrown exception fails the batch and stops the stream.
 */
@FunctionalInterface
public interface DatasetJob {
    void process(long batchTimeMillis, Dataset dataset) throws Exception;
}
