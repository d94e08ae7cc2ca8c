package io.sluice.bench.stream;

/**
 * What {@link StreamRun} measured over its window: per measured batch (in batch-time order) its scheduling delay,
 * processing time and records, and what the producer offered.
 *
 * @param delaysNanos     scheduling delay of each measured batch
 * @param processingNanos processing time of each measured batch
 * @param records         records of each measured batch
 * @param target          records the schedule asked for during the window
 * @param accepted        records the source accepted during the window
 * @param dropped         records refused by a full queue during the window
 * @param windowNanos     length of the window
 * @param gc              collections and their total time during the window
 * @param hiccups         how late a parked probe thread woke during the window (platform stalls)
 * @param verdict         whether the stream kept up
 * @param breakdown       each measured batch's phases
 * @param allocation      heap bytes the stream's and the producer's threads allocated during the window
 */
public record RunStats(long[] delaysNanos, long[] processingNanos, long[] records, long target, long accepted, long dropped,
                       long windowNanos, GcActivity gc, HiccupMeter.Hiccups hiccups,
                       Sustainability.Verdict verdict, Breakdown breakdown, Allocation allocation) {
    /** Without a breakdown or allocation figures. */
    public RunStats(final long[] delaysNanos, final long[] processingNanos, final long[] records, final long target,
                    final long accepted, final long dropped, final long windowNanos, final GcActivity gc,
                    final HiccupMeter.Hiccups hiccups, final Sustainability.Verdict verdict) {
        this(delaysNanos, processingNanos, records, target, accepted, dropped, windowNanos, gc, hiccups, verdict, Breakdown.EMPTY,
            Allocation.NONE);
    }

    /** Measured batches. */
    public int batches() {
        return delaysNanos.length;
    }

    /** Records/s the source accepted over the window. */
    public double offeredRate() {
        return windowNanos == 0 ? 0 : accepted * 1e9 / windowNanos;
    }

    /** Mean records per measured batch. */
    public double meanRecordsPerBatch() {
        long sum = 0;
        for (final long r : records) {
            sum += r;
        }
        return records.length == 0 ? 0 : sum / (double) records.length;
    }

    /** The {@code q}-quantile (0..1, nearest rank) of the processing times; 0 without batches. */
    public long processingQuantileNanos(final double q) {
        return Quantiles.nearestRank(processingNanos, q);
    }

    /** The {@code q}-quantile (0..1, nearest rank) of the scheduling delays; 0 without batches. */
    public long delayQuantileNanos(final double q) {
        return Quantiles.nearestRank(delaysNanos, q);
    }
}
