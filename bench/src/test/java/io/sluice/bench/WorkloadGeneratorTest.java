package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
    private static final long MEAN = 2_000_000;

    @Test
    void uniformTasksAllCostTheMean() {
        final Workload w = WorkloadGenerator.generate(10, Skew.uniform(), MEAN, 4, 0, 1, 0, 42);
        for (int i = 0; i < 10; i++) {
            assertEquals(MEAN, w.taskNanos(i));
        }
        assertEquals(10 * MEAN / 4.0, w.idealMakespanNanos());
    }

    @Test
    void sameSeedSameWorkloadOtherSeedOtherWorkload() {
        final Workload a = WorkloadGenerator.generate(256, Skew.zipf(1.1), MEAN, 8, 1, 4, 0.1, 42);
        final Workload b = WorkloadGenerator.generate(256, Skew.zipf(1.1), MEAN, 8, 1, 4, 0.1, 42);
        final Workload c = WorkloadGenerator.generate(256, Skew.zipf(1.1), MEAN, 8, 1, 4, 0.1, 43);
        assertArrayEquals(a.taskNanos(), b.taskNanos());
        assertFalse(Arrays.equals(a.taskNanos(), c.taskNanos()));
    }

    @Test
    void zipfSizesKeepTheMeanAndAreSkewed() {
        final Workload w = WorkloadGenerator.generate(256, Skew.zipf(1.1), MEAN, 8, 0, 1, 0, 42);
        assertEquals(256 * MEAN, w.totalTaskNanos(), 256.0, "mean kept up to rounding of each task to 1 ns");
        final ZipfDistribution zipf = new ZipfDistribution(256, 1.1);
        final double expectedMax = zipf.probability(1) * 256 * MEAN;
        assertEquals(expectedMax, w.maxTaskNanos(), expectedMax * 0.05, "largest task near P(rank 1) of all work");
        assertTrue(w.maxTaskNanos() > 40 * MEAN, "the largest partition dominates");
    }

    @Test
    void zipfRecordCountsFollowTheRankDistribution() {
        final long[] counts = WorkloadGenerator.zipfRecordCounts(20, 1.5, new SplittableRandom(7));
        final long[] sorted = counts.clone();
        Arrays.sort(sorted);
        final long records = Arrays.stream(counts).sum();
        assertEquals(20L * WorkloadGenerator.RECORDS_PER_TASK, records);
        final ZipfDistribution zipf = new ZipfDistribution(20, 1.5);
        // the largest partition holds about P(1) of the records; sampling noise is a few percent at 1280 records
        assertEquals(zipf.probability(1) * records, sorted[19], 0.1 * zipf.probability(1) * records);
    }

    @Test
    void slowWorkersAndFailuresAreSeeded() {
        final Workload w = WorkloadGenerator.generate(10_000, Skew.uniform(), MEAN, 8, 3, 4, 0.2, 42);
        int slow = 0;
        for (int i = 0; i < 8; i++) {
            if (w.workerSlowdown(i) == 4.0) {
                slow++;
            } else {
                assertEquals(1.0, w.workerSlowdown(i));
            }
        }
        assertEquals(3, slow);
        int fails = 0;
        for (int i = 0; i < 10_000; i++) {
            fails += w.firstAttemptFails(i) ? 1 : 0;
        }
        assertEquals(2000, fails, 200, "about 20% of first attempts fail");
        final Workload noFailures = WorkloadGenerator.generate(10_000, Skew.uniform(), MEAN, 8, 3, 4, 0, 42);
        assertArrayEquals(w.taskNanos(), noFailures.taskNanos(), "sizes do not depend on the failure rate");
    }

    @Test
    void idealMakespanAccountsForSlowWorkersAndTheLargestTask() {
        final Workload w = new Workload(new long[] {100, 100, 100, 100}, new double[] {1, 4}, new boolean[4]);
        assertEquals(400 / 1.25, w.idealMakespanNanos(), 1e-9);
        final Workload big = new Workload(new long[] {1000, 1, 1}, new double[] {1, 1}, new boolean[3]);
        assertEquals(1000, big.idealMakespanNanos());
    }

    @Test
    void rejectsBadInputsNamingThem() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> WorkloadGenerator.generate(10, Skew.uniform(), MEAN, 2, 3, 2, 0, 1));
        assertTrue(ex.getMessage().contains("slowWorkers=3"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Workload(new long[] {-1}, new double[] {1}, new boolean[1]));
        assertThrows(IllegalArgumentException.class, () -> new Workload(new long[] {1}, new double[] {0.5}, new boolean[1]));
    }
}
