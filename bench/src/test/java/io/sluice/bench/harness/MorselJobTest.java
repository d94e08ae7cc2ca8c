package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import io.sluice.bench.TaskCost;
import io.sluice.bench.Workload;
import io.sluice.engine.sched.Stage;

class MorselJobTest {
    private static Workload workload(final long[] costs, final double... slowdown) {
        return new Workload(costs, slowdown, new boolean[costs.length]);
    }

    @Test
    void rowsAreCostOverNanosPerRowRounded() {
        final MorselJob job = MorselJob.of(workload(new long[] {1_000, 149, 150, 0}, 1.0));
        assertEquals(10, job.rows(0));
        assertEquals(1, job.rows(1));
        assertEquals(2, job.rows(2));
        assertEquals(0, job.rows(3));
        assertEquals(1_300, job.totalNanos());
    }

    @Test
    void largestPieceFollowsTheHalvingRule() {
        assertEquals(25, MorselJob.largestPiece(100, 16));   // 100 -> 50 -> 25 (< 32)
        assertEquals(17, MorselJob.largestPiece(33, 16));    // 33 -> upper half 17
        assertEquals(31, MorselJob.largestPiece(31, 16));    // below 2 x min: never split
        assertEquals(1, MorselJob.largestPiece(5, 1));       // 5 -> 3 -> 2 -> 1
    }

    @Test
    void halvingBoundIsCapacityBoundOrLargestPieceWhicheverIsLarger() {
        // 4 tasks of 1 ms on a normal and a 4x slower worker: capacity 1.25 workers -> 3.2 ms.
        final MorselJob even = MorselJob.of(workload(new long[] {1_000_000, 1_000_000, 1_000_000, 1_000_000}, 1.0, 4.0),
            1_000_000);
        assertEquals(3_200_000, even.halvingBoundNanos(), 1e-6);
        // One 10 ms task that may not halve (min morsel 1e6 rows): its 10 ms dominate 8 ms of capacity bound.
        final MorselJob big = MorselJob.of(workload(new long[] {10_000_000}, 1.0, 4.0), 1_000_000);
        assertEquals(10_000_000, big.halvingBoundNanos(), 1e-6);
        // The same task split to 100-row morsels: 100,000 rows -> pieces of 196 rows; capacity bound 8 ms wins.
        final MorselJob split = MorselJob.of(workload(new long[] {10_000_000}, 1.0, 4.0), 100);
        assertEquals(8_000_000, split.halvingBoundNanos(), 1e-6);
    }

    @Test
    void lowerBoundIsTheFluidBoundBecauseRunningMorselsSplitDownToAChunk() {
        // One 10 ms task, never halved (min morsel 1e6 rows), on a normal and a 4x slower worker: running splits
        // spread it, so the bound is the capacity bound, 10 ms / 1.25 = 8 ms, below the halving bound's 10 ms.
        final MorselJob big = MorselJob.of(workload(new long[] {10_000_000}, 1.0, 4.0), 1_000_000);
        assertEquals(8_000_000, big.lowerBoundNanos(), 1e-6);
        assertEquals(10_000_000, big.halvingBoundNanos(), 1e-6);
        // Capacity far below one chunk: 3 tasks of 50 us and 1 of 150 us on 16 workers (capacity 0.02 ms); no split
        // cuts below a 100 us chunk (1,000 rows) on the fastest worker: 0.1 ms.
        final double[] slow = new double[16];
        Arrays.fill(slow, 1.0);
        slow[3] = 8.0;
        final MorselJob tiny = MorselJob.of(new Workload(new long[] {50_000, 50_000, 150_000, 50_000}, slow,
            new boolean[4]));
        assertEquals(MorselJob.CHUNK_NANOS, tiny.lowerBoundNanos(), 1e-6);
        // A task smaller than a chunk is the piece: one 60 us task on two workers (capacity 30 us) -> 60 us.
        final MorselJob one = MorselJob.of(workload(new long[] {60_000}, 1.0, 1.0));
        assertEquals(60_000, one.lowerBoundNanos(), 1e-6);
    }

    @Test
    void stageHasOneSplittableTaskPerPartitionOverItsRows() {
        final MorselJob job = MorselJob.of(workload(new long[] {5_000_000, 100, 0}, 1.0, 1.0));
        final Stage<Long> stage = job.stage(TaskCost.sleep());
        assertEquals(3, stage.size());
        assertEquals(50_000, stage.tasks().get(0).to());
        assertTrue(stage.tasks().get(0).isSplittable());
        assertFalse(stage.tasks().get(1).isSplittable(), "one row cannot split");
        assertFalse(stage.tasks().get(2).isSplittable());
    }
}
