package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyPercentilesTest {
    @Test
    void readsPercentilesOfAHistogramWithinItsPrecision() {
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        for (long v = 1; v <= 10_000; v++) {
            histogram.recordValue(v * 1000);
        }
        final LatencyPercentiles p = LatencyPercentiles.of(histogram);
        assertEquals(10_000, p.count());
        assertEquals(5_000_000, p.p50Nanos(), 5_000);
        assertEquals(9_900_000, p.p99Nanos(), 10_000);
        assertEquals(9_990_000, p.p999Nanos(), 10_000);
        assertEquals(10_000_000, p.maxNanos(), 10_000);
        assertTrue(p.p99AtMost(10_000_000));
        assertFalse(p.p99AtMost(5_000_000));
    }

    @Test
    void anEmptyHistogramGivesEmptyThatMeetsNoBound() {
        final LatencyPercentiles p = LatencyPercentiles.of(new Histogram(1000, 3));
        assertSame(LatencyPercentiles.EMPTY, p);
        assertFalse(p.p99AtMost(Long.MAX_VALUE));
    }

    @Test
    void rejectsUnorderedPercentiles() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyPercentiles(1, 5, 4, 6, 7));
        assertThrows(IllegalArgumentException.class, () -> new LatencyPercentiles(-1, 0, 0, 0, 0));
    }
}
