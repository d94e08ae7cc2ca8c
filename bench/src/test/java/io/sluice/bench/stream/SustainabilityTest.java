package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SustainabilityTest {
    private static final long MS = 1_000_000L;

    @Test
    void growthIsTheRiseBetweenTheMediansOfTheFirstAndLastThirds() {
        final long[] delays = new long[9];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = 3 * MS * i + 7 * MS;
        }
        // First third 7, 10, 13 (median 10 ms); last third 25, 28, 31 (median 28 ms).
        assertEquals(18 * MS, Sustainability.growthNanos(delays), 1);
        assertEquals(0, Sustainability.growthNanos(new long[] {5, 9}));
    }

    @Test
    void aStallNearTheEndThatDrainsIsNotGrowth() {
        final long[] delays = new long[300];
        for (int i = 280; i < 290; i++) {
            delays[i] = (150 - 15 * (i - 280)) * MS;
        }
        final Sustainability.Verdict verdict = Sustainability.judge(MS, delays, 1000, 1000, 0);
        assertTrue(verdict.sustainable(), verdict.toString());
    }

    @Test
    void flatNoisyDelaysWithOneSpikeAreSustainable() {
        final SplittableRandom random = new SplittableRandom(1);
        final long[] delays = new long[1000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = random.nextLong(200_000);
        }
        delays[500] = 40 * MS;
        final Sustainability.Verdict verdict = Sustainability.judge(MS, delays, 1000, 1000, 0);
        assertTrue(verdict.sustainable(), verdict.toString());
    }

    @Test
    void linearlyGrowingDelaysAreNotSustainable() {
        final long[] delays = new long[100];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = i * MS / 5;
        }
        final Sustainability.Verdict verdict = Sustainability.judge(MS, delays, 1000, 1000, 0);
        assertFalse(verdict.sustainable());
        assertEquals("scheduling delay grows", verdict.reason());
    }

    @Test
    void aBacklogStillDrainingIsNotASteadyState() {
        final long[] delays = new long[100];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = (300 - i) * MS;
        }
        final Sustainability.Verdict verdict = Sustainability.judge(MS, delays, 1000, 1000, 0);
        assertFalse(verdict.sustainable());
        assertTrue(verdict.reason().startsWith("batches queue"), verdict.reason());
    }

    @Test
    void droppedOrMissingInputIsNotSustainable() {
        final long[] flat = new long[10];
        assertFalse(Sustainability.judge(MS, flat, 1000, 999, 1).sustainable());
        assertFalse(Sustainability.judge(MS, flat, 1000, 900, 0).sustainable());
        assertTrue(Sustainability.judge(MS, flat, 1000, 960, 0).sustainable());
        assertFalse(Sustainability.judge(MS, new long[1], 1000, 1000, 0).sustainable());
    }

    @Test
    void toleranceIsTwoIntervalsButAtLeastFiveMillis() {
        assertEquals(5 * MS, Sustainability.toleranceNanos(MS));
        assertEquals(200 * MS, Sustainability.toleranceNanos(100 * MS));
    }

    @Test
    void rejectsNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> Sustainability.judge(0, new long[2], 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Sustainability.judge(MS, new long[2], 1, -1, 0));
    }
}
