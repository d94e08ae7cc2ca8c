package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.bench.Contender;
import io.sluice.bench.CostModel;

class GranularitySweepTest {
    @Test
    void theDefaultPanelsHoldTheWorkFixedAndGoFromMillisecondsToMicroseconds() {
        final List<GranularitySweep.Panel> panels = GranularitySweep.panels(2, false);
        assertEquals(3, panels.size());
        final GranularitySweep.Panel spin = panels.get(0);
        assertEquals(CostModel.SPIN, spin.cost());
        assertEquals(2, spin.workers(), "spin at W = cores");
        assertEquals("spin-w2", spin.name());
        assertEquals(8, panels.get(1).workers(), "and at 4 x cores");
        assertEquals(spin.totalNanos(), panels.get(1).totalNanos(), "the same work");
        final GranularitySweep.Panel sleep = panels.get(2);
        assertEquals(CostModel.SLEEP, sleep.cost());
        assertTrue(sleep.workers() >= 8 && sleep.workers() <= 64, "sleep at W = 8..64");
        for (final GranularitySweep.Panel p : panels) {
            final int first = p.taskCounts().get(0);
            final int last = p.taskCounts().get(p.taskCounts().size() - 1);
            assertTrue(p.totalNanos() / first >= 1_000_000, "largest tasks of a millisecond or more: " + p);
            assertTrue(p.totalNanos() / last < 20_000, "smallest tasks of microseconds: " + p);
        }
        assertEquals(4, GranularitySweep.panels(2, true).size());
        assertEquals(8, GranularitySweep.panels(2, true).get(1).workers(), "full: spin also at 4 x cores");
        assertThrows(IllegalArgumentException.class, () -> GranularitySweep.panels(0, false));
    }

    @Test
    void aPanelRejectsCountsThatDoNotIncreaseOrTasksBelowOneRow() {
        assertThrows(IllegalArgumentException.class,
            () -> new GranularitySweep.Panel(CostModel.SPIN, 2, 1_000_000, List.of(16, 16)));
        assertThrows(IllegalArgumentException.class,
            () -> new GranularitySweep.Panel(CostModel.SPIN, 2, 1_000_000, List.of(20_000)));
        assertThrows(IllegalArgumentException.class,
            () -> new GranularitySweep.Panel(CostModel.SPIN, 0, 1_000_000, List.of(16)));
        assertThrows(IllegalArgumentException.class,
            () -> new GranularitySweep.Panel(CostModel.SPIN, 2, 1_000_000, List.of()));
    }

    @Test
    void everyPointSharesTheSameWorkAndItsLowerBoundIsTheWorkOverTheWorkers() {
        final GranularitySweep.Panel p = new GranularitySweep.Panel(CostModel.SPIN, 4, 16_000_000,
            List.of(2, 64, 16_000));
        final MorselJob few = p.job(2, 1);
        assertEquals(2, few.tasks());
        assertEquals(16_000_000, few.totalNanos());
        assertEquals(8_000_000, few.halvingBoundNanos(), 1e-9, "2 unsplit tasks on 4 workers: one task is the bound");
        assertTrue(MorselJob.largestPiece(few.rows(0), few.minMorselRows()) == few.rows(0), "no task is split");
        final MorselJob mid = p.job(64, 1);
        assertEquals(250_000, mid.rows(0) * MorselJob.NANOS_PER_ROW, "equal tasks of total / tasks");
        assertEquals(mid.rows(0), mid.rows(63));
        assertEquals(4_000_000, mid.halvingBoundNanos(), 1e-9, "work / workers");
        final MorselJob many = p.job(16_000, 1);
        assertEquals(10, many.rows(0), "1 us = 10 rows");
        assertEquals(16_000_000, many.totalNanos());
        assertEquals(4_000_000, many.halvingBoundNanos(), 1e-9);
    }

    @Test
    void contendersTakeTurnsInARotatingOrder() {
        final List<Contender> c = GranularitySweep.CONTENDERS;
        assertEquals(c, GranularitySweep.turnOrder(c, 1));
        assertEquals(List.of(c.get(1), c.get(2), c.get(3), c.get(0)), GranularitySweep.turnOrder(c, 2));
        assertEquals(c, GranularitySweep.turnOrder(c, 5));
        assertEquals(3 * 4 * 5, GranularitySweep.runsOf(List.of(new GranularitySweep.Panel(CostModel.SLEEP, 2, 1_000_000,
            List.of(1, 2, 3))), c, 5));
        assertEquals(2.5, GranularitySweep.medianOrUnknown(List.of(4L, 1L, 3L, 2L)), 1e-9);
        assertEquals(-1, GranularitySweep.medianOrUnknown(List.of(4L, -1L, 3L)), 1e-9);
    }

    @Test
    void aTinyRealSweepRunsEveryContenderAtEveryPointAndCommitsEveryTask() {
        final GranularitySweep.Panel p = new GranularitySweep.Panel(CostModel.SPIN, 2, 400_000, List.of(4, 200));
        final List<RunRecord> seen = new ArrayList<>();
        final List<GranularityTable.Point> points = new GranularitySweep(GranularitySweep.CONTENDERS, 2, 7)
            .run(p, seen::add);
        assertEquals(2 * 4 * 2, seen.size());
        assertEquals(2, points.size());
        for (final GranularityTable.Point point : points) {
            assertEquals(GranularitySweep.CONTENDERS, point.table().rows().stream().map(ComparisonTable.Row::policy)
                .sorted().toList());
            for (final ComparisonTable.Row row : point.table().rows()) {
                assertEquals(2, row.runs());
                assertEquals(row.tasks(), row.minCommitted(), "every task committed once: " + row);
            }
            assertEquals(4, point.medianCpuNanos().size());
        }
        assertEquals(200, points.get(1).tasks());
        assertEquals(2_000, points.get(1).taskNanos(), 1e-9);
    }

    @Test
    void threadCpuDeltaCountsNewThreadsFromZeroAndNeverGoesBack() {
        assertEquals(5 + 7 + 0, ThreadCpu.delta(Map.of(1L, 10L, 2L, 20L, 3L, 30L), Map.of(1L, 15L, 4L, 7L, 3L, 30L)));
        if (ThreadCpu.supported()) {
            final Map<Long, Long> before = ThreadCpu.snapshot();
            long x = 1;
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 31 + i;
            }
            assertTrue(ThreadCpu.since(before) > 0 || x == 0, "this thread used CPU");
        }
    }
}
