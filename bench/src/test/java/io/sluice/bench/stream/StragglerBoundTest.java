package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StragglerBoundTest {
    @Test
    void fourCoarseTasksPerWorkerCannotBeatOneSlowTask() {
        // 32 tasks of 25 ms on 7 normal workers and one 5x slower: either the slow worker runs one (125 ms) or the
        // others run all 32 in 5 rounds (125 ms).
        assertEquals(125e6, StragglerBound.indivisibleNanos(32, 25e6, 8, 5.0), 1e-3);
        assertEquals(800e6 / 7.2, StragglerBound.fluidNanos(32, 25e6, 8, 5.0), 1e-3);
    }

    @Test
    void finerTasksApproachTheFluidBound() {
        // 128 tasks of 6.25 ms: the slow worker takes 3 (93.75 ms), the others 125 in 18 rounds (112.5 ms).
        assertEquals(112.5e6, StragglerBound.indivisibleNanos(128, 6.25e6, 8, 5.0), 1e-3);
    }

    @Test
    void withoutSlowdownEveryWorkerRunsItsShare() {
        assertEquals(100e6, StragglerBound.indivisibleNanos(32, 25e6, 8, 1.0), 1e-3);
        assertEquals(0.0, StragglerBound.indivisibleNanos(0, 25e6, 8, 5.0), 1e-3);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> StragglerBound.indivisibleNanos(4, 1, 1, 5.0));
        assertThrows(IllegalArgumentException.class, () -> StragglerBound.indivisibleNanos(4, 1, 8, 0.5));
    }
}
