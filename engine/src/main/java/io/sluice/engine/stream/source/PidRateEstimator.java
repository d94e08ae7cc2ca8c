package io.sluice.engine.stream.source;

/**
 * Estimates the ingestion rate (records per second) a stream can sustain, from each completed batch's size,
 * processing time and scheduling delay: a PID controller after Spark Streaming's {@code PIDRateEstimator}.
 *
 * <p>The error is the gap between the current rate and the rate the last batch was actually processed at; the
 * integral term is the backlog the scheduling delay reveals (scheduling delay x processing rate / interval:
 * records that waited), so a queue of delayed batches pulls the rate below the processing rate until it drains.
 * The first estimate only records the processing rate (no rate is returned), like Spark, so one odd first batch
 * cannot swing the rate. The result never falls below {@code minRate}. Not thread-safe: one caller (the job
 * executor) per stream.
 */
public final class PidRateEstimator {
    /** Spark's default gains. */
    public static final double DEFAULT_PROPORTIONAL = 1.0;
    public static final double DEFAULT_INTEGRAL = 0.2;
    public static final double DEFAULT_DERIVATIVE = 0.0;

    private final double batchIntervalSeconds;
    private final double proportional;
    private final double integral;
    private final double derivative;
    private final double minRate;
    private boolean firstRun = true;
    private long latestTimeNanos = Long.MIN_VALUE;
    private double latestRate = -1;
    private double latestError = -1;

    /** An estimator with Spark's default gains (1.0, 0.2, 0.0). */
    public PidRateEstimator(final long batchIntervalMillis, final double minRate) {
        this(batchIntervalMillis, DEFAULT_PROPORTIONAL, DEFAULT_INTEGRAL, DEFAULT_DERIVATIVE, minRate);
    }

    public PidRateEstimator(final long batchIntervalMillis, final double proportional, final double integral,
                            final double derivative, final double minRate) {
        if (batchIntervalMillis <= 0 || proportional < 0 || integral < 0 || derivative < 0 || !(minRate > 0)) {
            throw new IllegalArgumentException("batchIntervalMillis=" + batchIntervalMillis + " proportional=" + proportional
                + " integral=" + integral + " derivative=" + derivative + " minRate=" + minRate
                + ": interval and minRate must be > 0, gains >= 0");
        }
        this.batchIntervalSeconds = batchIntervalMillis / 1000.0;
        this.proportional = proportional;
        this.integral = integral;
        this.derivative = derivative;
        this.minRate = minRate;
    }

    /**
     * Feeds one completed batch: {@code timeNanos} when it completed, its record count, its processing time and
     * its scheduling delay. Returns the new rate in records per second, or {@code NaN} when there is no new
     * estimate (first batch, an empty batch, zero processing time, or a time not after the last update).
     */
    public double compute(final long timeNanos, final long records, final long processingNanos, final long schedulingDelayNanos) {
        if (timeNanos <= latestTimeNanos || records <= 0 || processingNanos <= 0) {
            return Double.NaN;
        }
        final double processingSeconds = processingNanos / 1e9;
        final double processingRate = records / processingSeconds;
        final double error = latestRate - processingRate;
        final double historicalError = (schedulingDelayNanos / 1e9) * processingRate / batchIntervalSeconds;
        if (firstRun) {
            latestTimeNanos = timeNanos;
            latestRate = processingRate;
            latestError = 0;
            firstRun = false;
            return Double.NaN;
        }
        final double sinceUpdateSeconds = (timeNanos - latestTimeNanos) / 1e9;
        final double dError = (error - latestError) / sinceUpdateSeconds;
        final double newRate = Math.max(latestRate - proportional * error - integral * historicalError - derivative * dError, minRate);
        latestTimeNanos = timeNanos;
        latestRate = newRate;
        latestError = error;
        return newRate;
    }
}
