package io.sluice.ui;

/**
 * One completed micro-batch as the dashboard shows it: the job executor's {@code BatchInfo} plus the input and
 * backpressure figures sampled on the job thread when it completed. Times in nanoseconds; -1 where not applicable.
 *
 * @param seq              1-based completion order (the {@code since} cursor of {@code /api/batches})
 * @param batchTimeMillis  the interval boundary the batch was cut at
 * @param records          records in the batch, over all inputs
 * @param schedulingNanos  queued time before its jobs started
 * @param processingNanos  time its jobs ran
 * @param totalDelayNanos  scheduling delay plus processing time
 * @param failed           whether a job of the batch threw
 * @param rateLimit        the rate controllers' limit summed over inputs, records/s (infinite: no limit)
 * @param lagRecords       records waiting over all inputs when it completed
 * @param heldBytes        payload bytes held over all inputs when it completed
 * @param queuedBatches    batches cut and waiting for the job executor when it completed
 * @param stateKeys        keys held by keyed-state operators after it ({@code updateStateByKey}, {@code mapWithState})
 */
record BatchPoint(long seq, long batchTimeMillis, long records, long schedulingNanos, long processingNanos, long totalDelayNanos,
                  boolean failed, double rateLimit, long lagRecords, long heldBytes, long queuedBatches, long stateKeys) {
}
