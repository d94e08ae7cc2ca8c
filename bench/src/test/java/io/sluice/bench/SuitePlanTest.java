package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SuitePlanTest {
    @Test
    void quickModeIsOneForkOneWarmupTwoMeasurementsOfOneSecond() {
        final SuitePlan quick = SuitePlan.choose(true, 500);
        assertEquals(1, quick.forks());
        assertEquals(1, quick.warmupIterations());
        assertEquals(2, quick.measurementIterations());
        assertEquals(Duration.ofSeconds(1).toMillis(), quick.iterationTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void smallSuitesGetTheThoroughPlanAndLargeOnesAShorterOneWithinBudget() {
        assertEquals(SuitePlan.FULL.get(0), SuitePlan.choose(false, 10));
        final SuitePlan forSixty = SuitePlan.choose(false, 60);
        assertTrue(forSixty.estimate(60).compareTo(SuitePlan.FULL_BUDGET) <= 0, forSixty.describe());
        final SuitePlan forTwoHundred = SuitePlan.choose(false, 200);
        assertTrue(forTwoHundred.estimate(200).compareTo(SuitePlan.FULL_BUDGET) <= 0, forTwoHundred.describe());
        assertTrue(SuitePlan.FULL.indexOf(forTwoHundred) > 0, "200 runs do not fit the thorough plan");
    }

    @Test
    void estimateCountsForksIterationsAndForkOverhead() {
        final SuitePlan plan = SuitePlan.FULL.get(0);
        final long perRun = 2 * (8 * 1000 + SuitePlan.FORK_OVERHEAD.toMillis());
        assertEquals(Duration.ofMillis(3 * perRun), plan.estimate(3));
    }
}
