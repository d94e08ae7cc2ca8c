package io.sluice.bench.stream;

import java.util.Arrays;

/** Nearest-rank quantiles of small samples (per-batch times: tens to thousands of values). */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The smallest value such that at least {@code q x n} of the values are at or below it (nearest rank); 0 for
     * an empty sample.
     */
    public static long nearestRank(final long[] values, final double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile q=" + q + " must be in [0, 1]");
        }
        if (values.length == 0) {
            return 0;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The median as a double (mean of the two middle values for an even count); NaN for an empty sample. */
    public static double median(final long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
