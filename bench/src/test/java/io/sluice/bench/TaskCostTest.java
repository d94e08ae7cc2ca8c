package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TaskCostTest {
    @Test
    void sleepLastsAtLeastCostTimesSlowdown() {
        final long start = System.nanoTime();
        TaskCost.sleep().run(TimeUnit.MILLISECONDS.toNanos(5), 2.0);
        // a lower bound by construction (the loop waits for the deadline), not a timing race
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(10));
    }

    @Test
    void interruptedTasksReturnEarlyKeepingTheInterrupt() {
        for (final TaskCost cost : new TaskCost[] {TaskCost.sleep(), new SpinCost(1.0)}) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Thread.currentThread().interrupt();
                cost.run(TimeUnit.HOURS.toNanos(1), 1.0);
                assertTrue(Thread.interrupted(), "interrupt status kept by " + cost);
            });
        }
    }

    @Test
    void spinIterationsScaleWithCostAndSlowdown() {
        final SpinCost spin = new SpinCost(0.5);
        assertEquals(2000, spin.iterationsFor(1000, 1.0));
        assertEquals(8000, spin.iterationsFor(1000, 4.0));
        assertEquals(0, spin.iterationsFor(0, 1.0));
    }

    @Test
    void calibrationMeasuresAPositiveCostOnce() {
        final SpinCost spin = SpinCost.calibrated();
        assertTrue(spin.nanosPerIteration() > 0 && spin.nanosPerIteration() < 1000, spin.toString());
        assertSame(spin, TaskCost.spin());
        assertEquals(CostModel.SPIN, TaskCost.of(CostModel.SPIN).model());
        assertEquals(CostModel.SLEEP, TaskCost.of(CostModel.SLEEP).model());
    }

    @Test
    void workIsADependentChainTheJitCannotSkip() {
        assertEquals(SpinCost.work(1, 10), SpinCost.work(SpinCost.work(1, 4), 6));
        assertTrue(SpinCost.work(1, 10) != SpinCost.work(1, 11));
    }

    @Test
    void rejectsNegativeCostAndSlowdownBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> TaskCost.sleep().run(-1, 1));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TaskCost.sleep().run(1, 0.5));
        assertTrue(ex.getMessage().contains("slowdown=0.5"), ex.getMessage());
    }
}
