package io.sluice.engine.stream;

/**
 * What happened to one micro-batch. Times are {@link StreamClock} nanos; a stage not reached yet is -1.
 * Delays are measured from submission (when the job generator cut the batch, at or just after its batch time), so
 * a batch replayed from the write-ahead log after a restart does not report the downtime as delay.
 *
 * @param batchTimeMillis      the interval boundary this batch was cut at
 * @param records              records in the batch, over all inputs
 * @param replayed             whether it came from the write-ahead log after a restart
 * @param submissionNanos      when it was queued for processing
 * @param processingStartNanos when its jobs started, or -1
 * @param processingEndNanos   when its jobs finished, or -1
 * @param failure              the exception that failed a job, or null
 * @param watermarkMillis      the event-time watermark after this batch (the smallest of the graph's
 *                             {@code withWatermark} streams), or {@link Long#MIN_VALUE} when there is none yet
 * @param lateRecords          rows the event-time operators dropped as late in this batch (summed over operators)
 * @param phases               cut, write-ahead log, hand-off and commit times ({@link BatchPhases#NONE} until the
 *                             batch completed)
 */
public record BatchInfo(long batchTimeMillis, long records, boolean replayed, long submissionNanos, long processingStartNanos,
                        long processingEndNanos, Throwable failure, long watermarkMillis, long lateRecords, BatchPhases phases) {

    /** A batch without event time: no watermark, no late rows. */
    public BatchInfo(final long batchTimeMillis, final long records, final boolean replayed, final long submissionNanos,
                     final long processingStartNanos, final long processingEndNanos, final Throwable failure) {
        this(batchTimeMillis, records, replayed, submissionNanos, processingStartNanos, processingEndNanos, failure, Long.MIN_VALUE, 0,
            BatchPhases.NONE);
    }

    /** Time spent queued: processing start minus submission, or -1 before the batch started. */
    public long schedulingDelayNanos() {
        return processingStartNanos < 0 ? -1 : processingStartNanos - submissionNanos;
    }

    /** Time the jobs ran, or -1 before the batch finished. */
    public long processingNanos() {
        return processingEndNanos < 0 ? -1 : processingEndNanos - processingStartNanos;
    }

    /** Scheduling delay plus processing time, or -1 before the batch finished. */
    public long totalDelayNanos() {
        return processingEndNanos < 0 ? -1 : processingEndNanos - submissionNanos;
    }

    /** Whether every job of the batch finished without throwing. */
    public boolean succeeded() {
        return processingEndNanos >= 0 && failure == null;
    }

    BatchInfo started(final long nanos) {
        return new BatchInfo(batchTimeMillis, records, replayed, submissionNanos, nanos, -1, null);
    }

    BatchInfo completed(final long nanos, final Throwable error, final long watermark, final long late, final BatchPhases times) {
        return new BatchInfo(batchTimeMillis, records, replayed, submissionNanos, processingStartNanos, nanos, error, watermark, late,
            times);
    }
}
