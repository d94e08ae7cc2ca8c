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
    void fillLetsTheOwnerKeepWhatEndsAtTheHorizonAndTheThiefTakeAtMostAsMuch() {
        // The victim has 1 ms left (10,000 rows at 100 ns), the horizon is 250 us: the thief takes what it does in
        // 250 us (2,500 rows), not half; the owner keeps 7,500 rows for the next idle workers to take from.
        assertEquals(0.75, SplitShare.FILL.keepFraction(10_000, 100, 100, 250_000), EPS);
        // A victim 4x slower (400 ns per row, 4 ms left) with a horizon of 1 ms: the owner could keep 2,500 rows,
        // the thief can do 10,000 rows by then: it takes 7,500, the owner keeps 2,500, both end at the horizon.
        assertEquals(0.25, SplitShare.FILL.keepFraction(10_000, 400, 100, 1_000_000), EPS);
        // A horizon of 0 (nothing else runs) leaves the owner MIN_KEEP at most: the thief can do nothing by then.
        assertTrue(SplitShare.FILL.keepFraction(10_000, 100, 100, 0) > 0.98);
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
