package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {
    @Test
    void nothingIsDueBeforeOrAtTheStart() {
        final Pacer pacer = new Pacer(1000, 5_000);
        assertEquals(0, pacer.dueBy(0));
        assertEquals(0, pacer.dueBy(5_000));
    }

    @Test
    void dueRecordsGrowLinearlyAndRoundDown() {
        final Pacer pacer = new Pacer(1000, 0);
        assertEquals(1000, pacer.dueBy(1_000_000_000L));
        assertEquals(1, pacer.dueBy(1_999_999));
        assertEquals(2, pacer.dueBy(2_000_000));
        assertEquals(2500, pacer.dueBy(2_500_000_000L));
    }

    @Test
    void dueAtIsTheFirstInstantTheCountIsDue() {
        final Pacer pacer = new Pacer(3_000_000, 123);
        for (final long n : new long[] {1, 2, 3, 10, 999, 1_000_001}) {
            final long at = pacer.dueAt(n);
            assertTrue(pacer.dueBy(at) >= n, "due by dueAt(" + n + ")");
            assertTrue(pacer.dueBy(at - 1) < n, "not due just before dueAt(" + n + ")");
        }
        assertEquals(123, pacer.dueAt(0));
    }

    @Test
    void rejectsNonPositiveOrInfiniteRates() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(-5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.NaN, 0));
    }
}
