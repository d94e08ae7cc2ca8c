package io.sluice.bench;

import java.util.SplittableRandom;

/**
 * Zipf's law over ranks 1..n with exponent s: P(k) = k^-s / H(n, s). Sampled by inverse CDF (binary search over
 * the cumulative table), so a uniform u in [0, 1) maps to the smallest rank whose CDF exceeds u. Immutable.
 */
public final class ZipfDistribution {
    private final int ranks;
    private final double exponent;
    private final double[] cdf;

    /** Zipf over ranks 1..{@code ranks} (>= 1) with exponent {@code exponent} (> 0). */
    public ZipfDistribution(final int ranks, final double exponent) {
        if (ranks < 1) {
            throw new IllegalArgumentException("zipf ranks=" + ranks + " must be >= 1");
        }
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("zipf exponent=" + exponent + " must be > 0 and finite");
        }
        this.ranks = ranks;
        this.exponent = exponent;
        this.cdf = new double[ranks];
        double sum = 0;
        for (int k = 1; k <= ranks; k++) {
            sum += Math.pow(k, -exponent);
            cdf[k - 1] = sum;
        }
        for (int i = 0; i < ranks; i++) {
            cdf[i] /= sum;
        }
        // rounding must not leave a gap at the top: u just below 1 still maps to the last rank
        cdf[ranks - 1] = 1.0;
    }

    public int ranks() {
        return ranks;
    }

    public double exponent() {
        return exponent;
    }

    /** P(rank = k), k in 1..ranks. */
    public double probability(final int rank) {
        checkRank(rank);
        return rank == 1 ? cdf[0] : cdf[rank - 1] - cdf[rank - 2];
    }

    /** P(rank <= k), k in 1..ranks. */
    public double cdf(final int rank) {
        checkRank(rank);
        return cdf[rank - 1];
    }

    /** The rank of the uniform variate {@code u} in [0, 1): the smallest k with CDF(k) > u. */
    public int rank(final double u) {
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("uniform variate u=" + u + " out of range [0, 1)");
        }
        int lo = 0;
        int hi = ranks - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo + 1;
    }

    /** One rank drawn with {@code random}. */
    public int sample(final SplittableRandom random) {
        return rank(random.nextDouble());
    }

    private void checkRank(final int rank) {
        if (rank < 1 || rank > ranks) {
            throw new IllegalArgumentException("zipf rank=" + rank + " out of range [1, " + ranks + "]");
        }
    }
}
