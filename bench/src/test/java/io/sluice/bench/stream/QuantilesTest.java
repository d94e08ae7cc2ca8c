package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantilesTest {
    @Test
    void nearestRankPicksTheSmallestValueCoveringTheFraction() {
        final long[] values = {50, 10, 40, 20, 30};
        assertEquals(10, Quantiles.nearestRank(values, 0));
        assertEquals(10, Quantiles.nearestRank(values, 0.2));
        assertEquals(30, Quantiles.nearestRank(values, 0.5));
        assertEquals(50, Quantiles.nearestRank(values, 0.99));
        assertEquals(50, Quantiles.nearestRank(values, 1));
        assertEquals(0, Quantiles.nearestRank(new long[0], 0.5));
    }

    @Test
    void medianAveragesTheMiddlePairOfAnEvenSample() {
        assertEquals(25.0, Quantiles.median(new long[] {40, 10, 30, 20}));
        assertEquals(3.0, Quantiles.median(new long[] {3}));
        assertTrue(Double.isNaN(Quantiles.median(new long[0])));
    }

    @Test
    void rejectsQuantilesOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.nearestRank(new long[] {1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.nearestRank(new long[] {1}, Double.NaN));
    }
}
