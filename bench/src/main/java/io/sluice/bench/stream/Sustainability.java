package io.sluice.bench.stream;

import java.util.Arrays;
import java.util.Locale;

/**
 * Decides whether a stream kept up with its input over a run: the scheduling delay of its batches (time a batch
 * waited before its jobs started) must not grow. A stream that keeps up has a flat delay with noise; one that does
 * not queues batches, so the delay grows about linearly with the batch index. On a shared machine a single stall
 * (GC, another process taking the cores) makes a spike that drains again, which is not a lack of capacity, so the
 * test compares medians: the run is unsustainable when the median delay of the last third of its batches exceeds
 * the median of the first third by more than the tolerance, when batches queue throughout (the median delay
 * exceeds the tolerance: a backlog from before the window that is still draining is not a steady state), or when
 * the producer could not offer the input rate (dropped or fell behind).
 */
public final class Sustainability {
    /** The verdict and the figures behind it. */
    public record Verdict(boolean sustainable, double growthNanos, double toleranceNanos, String reason) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (median delay growth %.2f ms over the run, tolerance %.2f ms%s)",
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
     * Median delay of the last third of the batches minus the median of the first third: the growth over the run,
     * insensitive to a few spikes. 0 for fewer than three batches.
     */
    static double growthNanos(final long[] delaysNanos) {
        final int third = delaysNanos.length / 3;
        if (third == 0) {
            return 0;
        }
        final long[] first = Arrays.copyOfRange(delaysNanos, 0, third);
        final long[] last = Arrays.copyOfRange(delaysNanos, delaysNanos.length - third, delaysNanos.length);
        return Quantiles.median(last) - Quantiles.median(first);
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
        final double growth = growthNanos(delaysNanos);
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
