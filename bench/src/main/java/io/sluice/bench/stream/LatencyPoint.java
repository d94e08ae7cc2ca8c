package io.sluice.bench.stream;

import io.sluice.engine.stream.HandOff;

/**
 * One measured (job, batch interval, input rate) point of the latency benchmark.
 *
 * @param job                 {@code dataset} (filter + groupBy count per batch) or {@code none} (the stream alone)
 * @param intervalMillis      batch interval
 * @param targetRate          records/s the producer was asked for
 * @param offeredRate         records/s the source accepted over the measured window
 * @param latency             per-record end-to-end latency (batch completion minus receipt) over measured batches
 * @param batches             measured batches
 * @param meanRecordsPerBatch mean records per measured batch
 * @param processingP50Nanos  median processing time of a batch (its jobs, from start to end)
 * @param processingP99Nanos  p99 processing time of a batch
 * @param delayP99Nanos       p99 scheduling delay of a batch (time queued before its jobs started)
 * @param gc                  garbage collections during the window
 * @param hiccups             platform stalls during the window ({@link HiccupMeter})
 * @param verdict             whether the stream kept up
 * @param handOff             how batches reached the job thread
 * @param phases              p50 / p99 of each phase of a batch (wake, cut, WAL, hand-off, stages, commit)
 * @param allocation          heap bytes allocated in the window by the stream's threads and by the producer
 * @param threadSliceNanos    the scheduler slice the stream's generator and job threads asked for (0: the kernel's default)
 */
public record LatencyPoint(String job, long intervalMillis, double targetRate, double offeredRate,
                           LatencyPercentiles latency, int batches, double meanRecordsPerBatch, long processingP50Nanos,
                           long processingP99Nanos, long delayP99Nanos, GcActivity gc, HiccupMeter.Hiccups hiccups,
                           Sustainability.Verdict verdict, HandOff handOff, Breakdown.Summary phases, Allocation allocation,
                           long threadSliceNanos) {
    /** A point of the default hand-off without a breakdown or allocation figures. */
    public LatencyPoint(final String job, final long intervalMillis, final double targetRate, final double offeredRate,
                        final LatencyPercentiles latency, final int batches, final double meanRecordsPerBatch,
                        final long processingP50Nanos, final long processingP99Nanos, final long delayP99Nanos, final GcActivity gc,
                        final HiccupMeter.Hiccups hiccups, final Sustainability.Verdict verdict) {
        this(job, intervalMillis, targetRate, offeredRate, latency, batches, meanRecordsPerBatch, processingP50Nanos,
            processingP99Nanos, delayP99Nanos, gc, hiccups, verdict, HandOff.SPIN_THEN_PARK, Breakdown.Summary.NONE, Allocation.NONE, 0);
    }

    /** The hand-off as a report label, with the thread slice when one was asked for ({@code job-cuts slice 100us}). */
    public String handOffLabel() {
        final String label = switch (handOff) {
            case SPIN_THEN_PARK -> "spin-park";
            case CUT_ON_JOB_THREAD -> "job-cuts";
            case BLOCKING_QUEUE -> "blocking";
        };
        return threadSliceNanos == 0 ? label : label + " slice " + threadSliceNanos / 1000 + "us";
    }

    /** Whether this is the default variant (spin-park hand-off, the kernel's slice): the one goals are judged on. */
    public boolean defaultVariant() {
        return handOff == HandOff.SPIN_THEN_PARK && threadSliceNanos == 0;
    }
}
