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
