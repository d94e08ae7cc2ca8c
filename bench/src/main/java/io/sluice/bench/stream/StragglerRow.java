package io.sluice.bench.stream;

/** One straggler-experiment run: a job under a scheduler configuration and its per-batch processing times. */
public record StragglerRow(TextJob job, StragglerConfig config, RunStats stats) {
    /** Median per-batch processing time in milliseconds (NaN without batches). */
    public double medianMillis() {
        return Quantiles.median(stats.processingNanos()) / 1e6;
    }

    /** Longest per-batch processing time in milliseconds (0 without batches). */
    public double maxMillis() {
        return Quantiles.nearestRank(stats.processingNanos(), 1.0) / 1e6;
    }

    /** Shortest per-batch processing time in milliseconds (0 without batches). */
    public double minMillis() {
        return Quantiles.nearestRank(stats.processingNanos(), 0.0) / 1e6;
    }
}
