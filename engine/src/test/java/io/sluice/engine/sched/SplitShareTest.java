package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The split rules as arithmetic: how much of a running attempt's unclaimed rows the owner keeps. */
class SplitShareTest {
    private static final double EPS = 1e-9;

    @Test
    void horizonIsTheUnclaimedRowsOverTheRunnersSpeed() {
        // 40,000 rows over 4 runners of 100 ns per row: 1 ms.
        assertEquals(1_000_000, SplitShare.horizonNanos(40_000, 4 / 100.0), EPS);
        assertEquals(Double.POSITIVE_INFINITY, SplitShare.horizonNanos(10, 0));
    }

    @Test
    void balanceKeepsTheShareThatEndsOwnerAndThiefTogether() {
        assertEquals(0.5, SplitShare.BALANCE.keepFraction(10_000, 100, 100, 0), EPS);
        // A thief 3x faster than the owner takes 3/4.
        assertEquals(0.25, SplitShare.BALANCE.keepFraction(10_000, 300, 100, 0), EPS);
        // Bounded: a thief 100x faster still leaves the owner MIN_KEEP, a 100x slower one takes 1 - MAX_KEEP.
        assertEquals(WorkStealingPlacement.MIN_KEEP, SplitShare.BALANCE.keepFraction(10_000, 10_000, 100, 0), EPS);
        assertEquals(WorkStealingPlacement.MAX_KEEP, SplitShare.BALANCE.keepFraction(10_000, 100, 10_000, 0), EPS);
    }

    @Test
    void neitherRuleSplitsAnAttemptWithLessThanTwoMinimumSplitsLeft() {
        final double rows = (2 * WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS - 1) / 100.0;
        for (final SplitShare share : SplitShare.values()) {
            assertTrue(Double.isNaN(share.keepFraction(rows, 100, 100, 0)), share.name());
        }
    }

    @Test
    void fillBalancesButNeverLeavesTheOwnerLessThanWhatEndsAtTheHorizon() {
        // The victim has 1 ms left (10,000 rows at 100 ns), the horizon is 250 us: the balanced half leaves the
        // owner 500 us, past the horizon: the balance stands.
        assertEquals(0.5, SplitShare.FILL.keepFraction(10_000, 100, 100, 250_000), EPS);
        // Horizon 800 us: the balance would leave the owner 500 us, less than what ends at the horizon: it keeps
        // 8,000 rows and the thief takes 2,000.
        assertEquals(0.8, SplitShare.FILL.keepFraction(10_000, 100, 100, 800_000), EPS);
        // A victim 4x slower (400 ns per row, 4 ms left), horizon 1 ms: the balance (thief 4/5) would leave the owner
        // 2,000 rows = 800 us; the floor keeps 2,500 rows = 1 ms.
        assertEquals(0.25, SplitShare.FILL.keepFraction(10_000, 400, 100, 1_000_000), EPS);
        // Horizon 0: the plain balance.
        assertEquals(0.2, SplitShare.FILL.keepFraction(10_000, 400, 100, 0), EPS);
    }

    @Test
    void fillDoesNotSplitAnAttemptThatEndsAboutWithTheRest() {
        // 1 ms left, horizon 1 ms - MIN_RUNNING_SPLIT_NANOS / 2: within the margin, no split.
        final double horizon = 1_000_000 - WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS / 2.0;
        assertTrue(Double.isNaN(SplitShare.FILL.keepFraction(10_000, 100, 100, horizon)));
        // Just past the margin it splits.
        final double earlier = 1_000_000 - WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS - 1;
        assertTrue(SplitShare.FILL.keepFraction(10_000, 100, 100, earlier) > 0.9);
    }

    @Test
    void unknownRatesNeverSplit() {
        for (final SplitShare share : SplitShare.values()) {
            assertTrue(Double.isNaN(share.keepFraction(10_000, Double.NaN, 100, 1_000)), share.name());
            assertTrue(Double.isNaN(share.keepFraction(10_000, 100, Double.NaN, 1_000)), share.name());
        }
    }

    @Test
    void configuredReadsThePropertyFillByDefaultAndNamesAnUnknownValue() {
        final String before = System.getProperty(SplitShare.PROPERTY);
        try {
            System.clearProperty(SplitShare.PROPERTY);
            assertEquals(SplitShare.FILL, SplitShare.configured());
            System.setProperty(SplitShare.PROPERTY, " Balance ");
            assertEquals(SplitShare.BALANCE, SplitShare.configured());
            System.setProperty(SplitShare.PROPERTY, "halve");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, SplitShare::configured);
            assertTrue(ex.getMessage().contains("sluice.sched.splitShare=halve"), ex.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(SplitShare.PROPERTY);
            } else {
                System.setProperty(SplitShare.PROPERTY, before);
            }
        }
    }
}
