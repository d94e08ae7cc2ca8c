package io.sluice.bench.stream;

import java.util.Locale;

/**
 * Decides whether a stream kept up with its input over a run: the scheduling delay of its batches (time a batch
 * waited before its jobs started) must not grow. A stream that keeps up has a flat delay with noise (GC, other
 * processes); one that does not queues batches, so the delay grows about linearly with the batch index. The test
 * fits a least-squares line to the delays and calls the run unsustainable when the fitted growth over the run
 * exceeds the tolerance, when batches queue throughout (the median delay exceeds the tolerance: a backlog from
 * before the window that is still draining is not a steady state), or when the producer could not offer the input
 * rate (dropped or fell behind).
 */
public final class Sustainability {
    /** The verdict and the figures behind it. */
    public record Verdict(boolean sustainable, double growthNanos, double toleranceNanos, String reason) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (delay growth %.2f ms over the run, tolerance %.2f ms%s)",
                sustainable ? "sustainable" : "NOT sustainable", growthNanos / 1e6, toleranceNanos / 1e6,
                reason.isEmpty() ? "" : "; " + reason);
        }
    }

    /** Growth tolerated regardless of the interval: wake-up jitter and a young GC stay below it. */
    static final long MIN_TOLERANCE_NANOS = 5_000_000L;
    /** Minimum fraction of the target rate the producer must have offered. */
    static final double MIN_OFFERED_FRACTION = 0.95;

    private Sustainability() {
    }

    /**
     * The least-squares growth of {@code delaysNanos} over their index, times the number of batches: how much later
     * the last batch started than the first, on the fitted line. 0 for fewer than two batches.
     */
    static double fittedGrowthNanos(final long[] delaysNanos) {
        final int n = delaysNanos.length;
        if (n < 2) {
            return 0;
        }
        final double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (final long d : delaysNanos) {
            meanY += d;
        }
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            final double dx = i - meanX;
            sxy += dx * (delaysNanos[i] - meanY);
            sxx += dx * dx;
        }
        return sxy / sxx * (n - 1);
    }

    /** Growth tolerated for a batch interval: two intervals, at least {@link #MIN_TOLERANCE_NANOS}. */
    static double toleranceNanos(final long intervalNanos) {
        return Math.max(MIN_TOLERANCE_NANOS, 2.0 * intervalNanos);
    }

    /**
     * The verdict for a run with batch interval {@code intervalNanos}, the scheduling delays of its measured
     * batches in order, and what the producer achieved: {@code offered} of {@code target} records, {@code dropped}
     * refused by a full queue.
     */
    public static Verdict judge(final long intervalNanos, final long[] delaysNanos, final long target, final long offered,
                                final long dropped) {
        if (intervalNanos <= 0 || target < 0 || offered < 0 || dropped < 0) {
            throw new IllegalArgumentException("intervalNanos=" + intervalNanos + " (> 0) target=" + target + " offered="
                + offered + " dropped=" + dropped + " (all >= 0)");
        }
        final double growth = fittedGrowthNanos(delaysNanos);
        final double tolerance = toleranceNanos(intervalNanos);
        if (delaysNanos.length < 2) {
            return new Verdict(false, growth, tolerance, "fewer than 2 batches completed");
        }
        if (dropped > 0) {
            return new Verdict(false, growth, tolerance, "queue full: " + dropped + " records dropped");
        }
        if (offered < MIN_OFFERED_FRACTION * target) {
            return new Verdict(false, growth, tolerance, String.format(Locale.ROOT,
                "producer offered only %.1f%% of the target rate", 100.0 * offered / Math.max(1, target)));
        }
        if (growth > tolerance) {
            return new Verdict(false, growth, tolerance, "scheduling delay grows");
        }
        final double median = Quantiles.median(delaysNanos);
        if (median > tolerance) {
            return new Verdict(false, growth, tolerance, String.format(Locale.ROOT,
                "batches queue: median scheduling delay %.2f ms", median / 1e6));
        }
        return new Verdict(true, growth, tolerance, "");
    }
}
