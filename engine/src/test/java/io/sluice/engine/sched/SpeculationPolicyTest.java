package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpeculationPolicyTest {
    private final SpeculationPolicy policy = new SpeculationPolicy(1.4, 0.5, 0);

    @Test
    void speculatesOnlyPastMultiplierTimesMedianAfterMinFinishedFraction() {
        assertFalse(policy.shouldSpeculate(1_000, 100, 4, 10), "only 40% finished");
        assertFalse(policy.shouldSpeculate(140, 100, 5, 10), "exactly 1.4 x median is not past it");
        assertTrue(policy.shouldSpeculate(141, 100, 5, 10));
        assertFalse(policy.shouldSpeculate(1_000, -1, 5, 10), "no finished run yet");
    }

    @Test
    void respectsMinimumRunTime() {
        final SpeculationPolicy withFloor = new SpeculationPolicy(1.4, 0.0, 1_000);
        assertFalse(withFloor.shouldSpeculate(999, 10, 1, 1));
        assertTrue(withFloor.shouldSpeculate(1_000, 10, 1, 1));
    }

    @Test
    void defaultsLaunchNoCopyForASmallTaskWhoseOverrunCannotPayForIt() {
        final SpeculationPolicy defaults = SpeculationPolicy.defaults();
        // A stage of 2 ms tasks (a small write stage): an attempt at 3.5 ms is 1.75 x the median, past the
        // multiplier and the 1 ms floor, but a copy could gain at most 1.5 ms, less than a copy costs.
        assertFalse(defaults.shouldSpeculate(3_500_000, 2_000_000, 90, 100));
        assertFalse(defaults.shouldSpeculate(11_999_999, 2_000_000, 90, 100));
        // Stuck 10 ms past the median: the copy pays.
        assertTrue(defaults.shouldSpeculate(12_000_000, 2_000_000, 90, 100));
        // Long tasks: the multiplier decides (1.4 x 500 ms = 700 ms > 510 ms).
        assertFalse(defaults.shouldSpeculate(700_000_000, 500_000_000, 90, 100));
        assertTrue(defaults.shouldSpeculate(700_000_001, 500_000_000, 90, 100));
        assertEquals(12_000_000, defaults.thresholdNanos(2_000_000));
        assertEquals(700_000_001, defaults.thresholdNanos(500_000_000));
    }

    @Test
    void aKnownSlowWorkersAttemptIsCopiedAsSoonAsTheCopyPaysWithoutWaitingForTheStage() {
        final SpeculationPolicy defaults = SpeculationPolicy.defaults();
        final long median = 25_000_000L;
        final long slowMean = 125_000_000L;  // its earlier attempts of the stage ran 5x the median
        // Only 2 of 32 tasks finished: the stage's rules would wait; the worker's rate says 120 ms are left.
        assertFalse(defaults.shouldSpeculate(5_000_000, median, 2, 32));
        assertTrue(defaults.shouldSpeculate(5_000_000, median, 2, 32, slowMean));
        // 90 ms left, a copy takes 25: gain 65 ms, still due; at 35 ms left the gain is exactly the 10 ms floor.
        assertTrue(defaults.shouldSpeculate(35_000_000, median, 2, 32, slowMean));
        assertTrue(defaults.shouldSpeculate(90_000_000, median, 30, 32, slowMean));
        // 30 ms left: by the worker's rate a copy gains 5 ms, below the floor; early in the stage nothing else copies
        // it, late in the stage the stage's rules (overrun past the median) still do.
        assertFalse(defaults.shouldSpeculate(95_000_000, median, 2, 32, slowMean));
        assertTrue(defaults.shouldSpeculate(95_000_000, median, 30, 32, slowMean));
        // Past its worker's own mean (stuck beyond the worker's rate) the stage's rules judge it.
        assertFalse(defaults.shouldSpeculate(130_000_000, median, 2, 32, slowMean));
        assertTrue(defaults.shouldSpeculate(130_000_000, median, 30, 32, slowMean));
    }

    @Test
    void aWorkerNotKnownSlowKeepsTheStageRules() {
        final SpeculationPolicy defaults = SpeculationPolicy.defaults();
        final long median = 25_000_000L;
        for (final long mean : new long[] {-1, 0, 25_000_000L, 34_999_999L}) {
            assertFalse(defaults.shouldSpeculate(5_000_000, median, 2, 32, mean), "mean=" + mean);
            assertFalse(defaults.shouldSpeculate(40_000_000, median, 2, 32, mean), "mean=" + mean + " stage 6% finished");
            assertTrue(defaults.shouldSpeculate(40_000_000, median, 30, 32, mean), "mean=" + mean);
        }
        assertFalse(defaults.shouldSpeculate(100_000_000, -1, 0, 32, 125_000_000L), "no median yet");
    }

    @Test
    void readsFiguresFromStageStats() {
        final StageStats stats = new StageStats(4, 16);
        for (final long run : new long[] {10, 30, 20}) {
            stats.recordRun(run);
            stats.recordTaskFinished();
        }
        assertEquals(20, stats.medianRunNanos());
        stats.recordRun(40);
        assertEquals(25, stats.medianRunNanos());
        assertTrue(policy.shouldSpeculate(36, stats));
        assertFalse(policy.shouldSpeculate(35, stats));
    }

    @Test
    void rejectsMultiplierBelowOne() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new SpeculationPolicy(0.5, 0.5, 0));
        assertTrue(ex.getMessage().startsWith("multiplier=0.5"), ex.getMessage());
    }
}
