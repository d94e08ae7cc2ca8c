package io.sluice.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class PartitionStageSplitThresholdTest {
    @Test
    void evenPartitionsAtLeastOnePerWorkerDoNotSplit() {
        final long[] rows = new long[16];
        Arrays.fill(rows, 12_500);
        final long threshold = PartitionStage.splitThreshold(rows, 2);
        assertFalse(12_500 > threshold, "threshold=" + threshold);
    }

    @Test
    void aSinglePartitionSplitsAcrossWorkers() {
        assertTrue(200_000 > PartitionStage.splitThreshold(new long[] {200_000}, 2));
    }

    @Test
    void fewerEvenPartitionsThanWorkersSplit() {
        final long[] rows = {50_000, 50_000, 50_000, 50_000};
        assertTrue(50_000 > PartitionStage.splitThreshold(rows, 8));
    }

    @Test
    void onlyTheHotPartitionOfASkewedStageSplits() {
        final long[] rows = new long[32];
        Arrays.fill(rows, 1_000);
        rows[5] = 500_000;
        final long threshold = PartitionStage.splitThreshold(rows, 4);
        assertTrue(rows[5] > threshold, "threshold=" + threshold);
        assertFalse(rows[0] > threshold, "threshold=" + threshold);
    }

    @Test
    void tasksOfUnknownSizeNeverSplit() {
        assertEquals(Long.MAX_VALUE, PartitionStage.splitThreshold(new long[] {PartitionStage.WHOLE, PartitionStage.WHOLE}, 2));
        assertFalse(PartitionStage.WHOLE > PartitionStage.splitThreshold(new long[] {PartitionStage.WHOLE, 10}, 2));
    }
}
