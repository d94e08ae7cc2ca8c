package io.sluice.bench.stream;

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
 */
public record LatencyPoint(String job, long intervalMillis, double targetRate, double offeredRate,
                           LatencyPercentiles latency, int batches, double meanRecordsPerBatch, long processingP50Nanos,
                           long processingP99Nanos, long delayP99Nanos, GcActivity gc, HiccupMeter.Hiccups hiccups,
                           Sustainability.Verdict verdict) {
}
