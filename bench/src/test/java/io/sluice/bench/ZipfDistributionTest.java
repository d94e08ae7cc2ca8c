package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ZipfDistributionTest {
    /** Chi-square critical value for 9 degrees of freedom at p = 0.001. */
    private static final double CHI2_9_DF_P001 = 27.877;

    @Test
    void probabilitiesFollowZipfsLawAndSumToOne() {
        final ZipfDistribution zipf = new ZipfDistribution(100, 1.1);
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            sum += zipf.probability(k);
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.pow(2, 1.1), zipf.probability(1) / zipf.probability(2), 1e-9);
        assertEquals(Math.pow(10, 1.1), zipf.probability(1) / zipf.probability(10), 1e-9);
        assertEquals(1.0, zipf.cdf(100));
    }

    @Test
    void inverseCdfMapsUniformVariatesToRanks() {
        final ZipfDistribution zipf = new ZipfDistribution(10, 1.0);
        assertEquals(1, zipf.rank(0.0));
        assertEquals(1, zipf.rank(Math.nextDown(zipf.cdf(1))));
        assertEquals(2, zipf.rank(zipf.cdf(1)));
        assertEquals(10, zipf.rank(Math.nextDown(1.0)));
        assertThrows(IllegalArgumentException.class, () -> zipf.rank(1.0));
        assertThrows(IllegalArgumentException.class, () -> zipf.probability(11));
    }

    @Test
    void samplesMatchTheExpectedDistribution() {
        final ZipfDistribution zipf = new ZipfDistribution(10, 1.1);
        final SplittableRandom random = new SplittableRandom(1234);
        final int n = 200_000;
        final long[] counts = new long[11];
        for (int i = 0; i < n; i++) {
            counts[zipf.sample(random)]++;
        }
        double chi2 = 0;
        for (int k = 1; k <= 10; k++) {
            final double expected = n * zipf.probability(k);
            chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
        }
        assertTrue(chi2 < CHI2_9_DF_P001, "chi2=" + chi2 + " over 10 ranks");
    }

    @Test
    void aSkewedSampleFailsTheSameTest() {
        // guards the test above: samples of a different exponent must be rejected by it
        final ZipfDistribution expected = new ZipfDistribution(10, 1.1);
        final ZipfDistribution other = new ZipfDistribution(10, 1.3);
        final SplittableRandom random = new SplittableRandom(1234);
        final int n = 200_000;
        final long[] counts = new long[11];
        for (int i = 0; i < n; i++) {
            counts[other.sample(random)]++;
        }
        double chi2 = 0;
        for (int k = 1; k <= 10; k++) {
            final double e = n * expected.probability(k);
            chi2 += (counts[k] - e) * (counts[k] - e) / e;
        }
        assertTrue(chi2 > CHI2_9_DF_P001, "chi2=" + chi2);
    }
}
