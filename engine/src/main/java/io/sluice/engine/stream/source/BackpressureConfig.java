package io.sluice.engine.stream.source;

/**
 * Flow control per input stream. The memory budget always applies: records received but not yet processed
 * (buffered, or in a queued or running batch) hold at most {@code maxBufferedBytes} allocated off-heap bytes and
 * {@code maxBufferedRecords} records, plus one block. With {@code rateControl} on, a {@link PidRateEstimator}
 * sets each stream's ingestion rate after every batch, starting at {@code initialRate} and kept within
 * [{@code minRate}, {@code maxRate}]; with it off the rate is {@code maxRate}. Rates are records per second.
 *
 * @param rateControl        whether the PID controller adjusts the rate
 * @param initialRate        the rate until the controller's first estimate (keeps the first batches from overshooting)
 * @param minRate            the lowest rate the controller sets
 * @param maxRate            the highest rate ({@link Double#POSITIVE_INFINITY}: unlimited)
 * @param maxBufferedBytes   allocated off-heap bytes a stream may hold before its sources are held back (what its
 *                           blocks allocated, not only their payload, so the budget bounds memory)
 * @param maxBufferedRecords records a stream may hold before its sources are held back
 * @param proportional       PID proportional gain
 * @param integral           PID integral gain
 * @param derivative         PID derivative gain
 */
public record BackpressureConfig(boolean rateControl, double initialRate, double minRate, double maxRate, long maxBufferedBytes,
                                 long maxBufferedRecords, double proportional, double integral, double derivative) {

    /** Default budget per stream: 64 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L << 20;

    public BackpressureConfig {
        if (!(minRate > 0) || !(initialRate >= minRate) || !(maxRate >= initialRate) || maxBufferedBytes <= 0
            || maxBufferedRecords <= 0 || proportional < 0 || integral < 0 || derivative < 0) {
            throw new IllegalArgumentException("invalid backpressure config: minRate=" + minRate + " initialRate=" + initialRate
                + " maxRate=" + maxRate + " (need 0 < minRate <= initialRate <= maxRate) maxBufferedBytes=" + maxBufferedBytes
                + " maxBufferedRecords=" + maxBufferedRecords + " (need > 0) gains=" + proportional + "/" + integral + "/"
                + derivative + " (need >= 0)");
        }
    }

    /** No rate limit, a 64 MiB budget per stream. */
    public static BackpressureConfig unlimitedRate() {
        return new BackpressureConfig(false, Double.POSITIVE_INFINITY, 1, Double.POSITIVE_INFINITY, DEFAULT_MAX_BUFFERED_BYTES,
            Long.MAX_VALUE, PidRateEstimator.DEFAULT_PROPORTIONAL, PidRateEstimator.DEFAULT_INTEGRAL,
            PidRateEstimator.DEFAULT_DERIVATIVE);
    }

    /** PID rate control from {@code initialRate}, minimum 100 records/s, no maximum, a 64 MiB budget per stream. */
    public static BackpressureConfig pid(final double initialRate) {
        return new BackpressureConfig(true, initialRate, Math.min(100, initialRate), Double.POSITIVE_INFINITY,
            DEFAULT_MAX_BUFFERED_BYTES, Long.MAX_VALUE, PidRateEstimator.DEFAULT_PROPORTIONAL, PidRateEstimator.DEFAULT_INTEGRAL,
            PidRateEstimator.DEFAULT_DERIVATIVE);
    }

    public BackpressureConfig withMinRate(final double rate) {
        return new BackpressureConfig(rateControl, initialRate, rate, maxRate, maxBufferedBytes, maxBufferedRecords,
            proportional, integral, derivative);
    }

    public BackpressureConfig withMaxRate(final double rate) {
        return new BackpressureConfig(rateControl, initialRate, minRate, rate, maxBufferedBytes, maxBufferedRecords,
            proportional, integral, derivative);
    }

    public BackpressureConfig withBudget(final long bytes, final long records) {
        return new BackpressureConfig(rateControl, initialRate, minRate, maxRate, bytes, records, proportional, integral, derivative);
    }

    public BackpressureConfig withGains(final double p, final double i, final double d) {
        return new BackpressureConfig(rateControl, initialRate, minRate, maxRate, maxBufferedBytes, maxBufferedRecords, p, i, d);
    }
}
