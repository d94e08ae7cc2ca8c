package io.sluice.engine.stream;

/**
 * Where one micro-batch's time went before and after its jobs ran, in {@link StreamClock} nanos (all -1 while a
 * phase has not happened yet): what sets the end-to-end latency besides the jobs themselves.
 *
 * @param cutNanos     polling the sources and cutting every input's received blocks into the batch
 * @param walNanos     writing the batch to the write-ahead log (0 without one)
 * @param handOffNanos from the batch being queued for the job executor until its first job started (queueing
 *                     behind earlier batches included)
 * @param commitNanos  after the last job returned: marking the batch completed in the log, a snapshot when one is
 *                     due, feeding the rate controllers and releasing the batch
 */
public record BatchPhases(long cutNanos, long walNanos, long handOffNanos, long commitNanos) {
    /** Phases not measured (yet). */
    public static final BatchPhases NONE = new BatchPhases(-1, -1, -1, -1);
}
