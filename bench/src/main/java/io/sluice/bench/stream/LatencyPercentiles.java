package io.sluice.bench.stream;

import org.HdrHistogram.Histogram;

/**
 * The end-to-end latency summary of one run: record count and p50 / p99 / p99.9 / max in nanoseconds, read from an
 * HdrHistogram (whose values are exact to its significant digits, so p99 is the value at or below which 99% of
 * the records fall, not an interpolation).
 */
public record LatencyPercentiles(long count, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {
    /** An empty summary: no record measured. */
    public static final LatencyPercentiles EMPTY = new LatencyPercentiles(0, 0, 0, 0, 0);

    public LatencyPercentiles {
        if (count < 0 || p50Nanos < 0 || p50Nanos > p99Nanos || p99Nanos > p999Nanos || p999Nanos > maxNanos) {
            throw new IllegalArgumentException("latency percentiles must be ordered and >= 0: count=" + count + " p50="
                + p50Nanos + " p99=" + p99Nanos + " p999=" + p999Nanos + " max=" + maxNanos);
        }
    }

    /** The summary of {@code histogram} (nanosecond values); {@link #EMPTY} for an empty histogram. */
    public static LatencyPercentiles of(final Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencyPercentiles(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }

    /** Whether p99 is at or below {@code boundNanos} (false when nothing was measured). */
    public boolean p99AtMost(final long boundNanos) {
        return count > 0 && p99Nanos <= boundNanos;
    }
}
