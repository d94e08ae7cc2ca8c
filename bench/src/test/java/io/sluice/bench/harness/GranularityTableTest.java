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
import io.sluice.bench.report.Plots;

class GranularityTableTest {
    private static final GranularitySweep.Panel PANEL = new GranularitySweep.Panel(CostModel.SPIN, 2, 8_000_000,
        List.of(8, 8_000));

    /** A point of {@code tasks} tasks, LB 4 ms, whose contenders ran the given makespans (ns) and CPU times. */
    private static GranularityTable.Point point(final int tasks, final long[] staticRuns, final long[] queueRuns,
                                                final long[] stealingRuns, final Map<Contender, Double> cpu) {
        final List<RunRecord> runs = new ArrayList<>();
        add(runs, Contender.STATIC, staticRuns, tasks);
        add(runs, Contender.CENTRAL_QUEUE, queueRuns, tasks);
        add(runs, Contender.WORK_STEALING, stealingRuns, tasks);
        return new GranularityTable.Point(PANEL, 8_000_000, 4_000_000, ComparisonTable.of(runs, 4_000_000), cpu);
    }

    private static void add(final List<RunRecord> runs, final Contender c, final long[] makespans, final int tasks) {
        for (int i = 0; i < makespans.length; i++) {
            runs.add(new RunRecord(c, i + 1, makespans[i], new long[] {1, 1}, c == Contender.WORK_STEALING ? 3 : 0, 0,
                0, tasks, tasks));
        }
    }

    /** A tie at 1 ms tasks, work stealing 1.5x the central queue at 1 us tasks, with CPU times. */
    private static GranularityTable tieThenWin() {
        final Map<Contender, Double> cpu = Map.of(Contender.STATIC, 8_100_000.0, Contender.CENTRAL_QUEUE,
            8_500_000.0, Contender.WORK_STEALING, 8_200_000.0);
        return GranularityTable.of(PANEL, List.of(
            point(8, new long[] {4_100_000}, new long[] {4_100_000}, new long[] {4_120_000}, cpu),
            point(8_000, new long[] {6_000_000}, new long[] {9_000_000}, new long[] {6_000_000}, cpu)));
    }

    @Test
    void overheadPerTaskIsMakespanAboveTheBoundOverTasks() {
        assertEquals(250, GranularityTable.overheadPerTaskNanos(6_000_000, 4_000_000, 8_000), 1e-9);
        assertEquals(-1, GranularityTable.overheadPerTaskNanos(3_999_000, 4_000_000, 1_000), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> GranularityTable.overheadPerTaskNanos(1, 1, 0));
    }

    @Test
    void cellsComeFromTheMediansMinimaAndCpuTimes() {
        final GranularityTable.Point p = point(8_000, new long[] {5_000_000, 7_000_000, 6_000_000},
            new long[] {6_000_000, 9_000_000, 8_000_000}, new long[] {4_400_000, 5_000_000, 6_000_000},
            Map.of(Contender.STATIC, 9_000_000.0, Contender.CENTRAL_QUEUE, 9_400_000.0, Contender.WORK_STEALING,
                9_080_000.0));
        assertEquals(8_000, p.tasks());
        assertEquals(1_000, p.taskNanos(), 1e-9);
        assertEquals((8_000_000 - 4_000_000) / 8_000.0, p.overheadPerTaskNanos(Contender.CENTRAL_QUEUE), 1e-9);
        assertEquals(125, p.overheadPerTaskNanos(Contender.WORK_STEALING), 1e-9);
        assertEquals(8.0 / 5.0, p.speedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE), 1e-9);
        assertEquals(6.0 / 4.4, p.bestSpeedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE), 1e-9);
        assertEquals(50, p.cpuPerTaskOverStaticNanos(Contender.CENTRAL_QUEUE), 1e-9);
        assertEquals(10, p.cpuPerTaskOverStaticNanos(Contender.WORK_STEALING), 1e-9);
        assertEquals(0, p.cpuPerTaskOverStaticNanos(Contender.STATIC), 1e-9);
        assertTrue(Double.isNaN(p.cpuPerTaskOverStaticNanos(Contender.FORK_JOIN)), "no CPU time for a missing contender");
        assertEquals(8.0 / 5.0, GranularityTable.noiseFloor(p), 1e-9);
    }

    @Test
    void findingsSayWhereWorkStealingWinsTiesAndWhetherTheTargetAndTheNoiseFloorAreBeaten() {
        final GranularityTable table = tieThenWin();
        final List<String> findings = table.findings();
        assertTrue(findings.get(0).contains("faster than the central queue by 5% or more at 1.00 us (8,000 tasks, 1.50x")
            && findings.get(0).contains("as good within 5% at 1,000 us (8 tasks, 1.00x"), findings.get(0));
        assertTrue(findings.get(1).contains("1.50x the central queue's throughput") && findings.get(1).contains("reached"),
            findings.get(1));
        assertTrue(findings.get(3).contains("1.00x") && findings.get(3).contains("is above it"), findings.get(3));
        assertTrue(findings.get(4).contains("static burns 13 ns per task") && findings.get(4).contains(
            "central-queue +50 ns") && findings.get(4).contains("work-stealing +13 ns"), findings.get(4));
        final String md = table.toMarkdown();
        assertEquals(2 + 2 * 3, md.lines().count(), md);
        assertTrue(md.lines().anyMatch(l -> l.matches("\\|\\s+8000 \\|\\s+1.00 \\| work-stealing .*\\|\\s+1.50 \\|")), md);
    }

    @Test
    void aTargetMissedByTheMediansIsSaidSo() {
        final Map<Contender, Double> cpu = Map.of();
        final GranularityTable table = GranularityTable.of(PANEL, List.of(
            point(8, new long[] {4_000_000, 4_000_000}, new long[] {4_400_000, 4_000_000}, new long[] {4_000_000,
                4_000_000}, cpu)));
        final List<String> findings = table.findings();
        assertTrue(findings.get(1).contains("not reached"), findings.get(1));
        assertEquals(4, findings.size(), "no CPU line without CPU times: " + findings);
    }

    @Test
    void linesRunOverTheTaskSizeOnePerContender() {
        final Map<Contender, Double> cpu = Map.of();
        final GranularityTable table = GranularityTable.of(PANEL, List.of(
            point(8, new long[] {4_000_000}, new long[] {5_000_000}, new long[] {4_000_000}, cpu),
            point(8_000, new long[] {8_000_000}, new long[] {6_000_000}, new long[] {5_000_000}, cpu)));
        final List<Plots.Line> relative = table.relativeLines();
        assertEquals(3, relative.size());
        final Plots.Line ws = relative.get(2);
        assertEquals("work-stealing", ws.name());
        assertEquals(1_000, ws.x()[0], 1e-9);
        assertEquals(1, ws.x()[1], 1e-9);
        assertEquals(1.25, ws.y()[0], 1e-9);
        assertEquals(1.2, ws.y()[1], 1e-9);
        assertEquals(2.0, table.boundLines().get(0).y()[1], 1e-9);
    }

    @Test
    void theReportSectionCarriesTablesFindingsAndOneCsvRowPerPointAndContender() {
        final GranularityTable table = tieThenWin();
        final String readme = ComparisonReport.granularityReadme(List.of(table));
        assertTrue(readme.contains("## Granularity") && readme.contains(table.toMarkdown())
            && readme.contains(table.findings().get(1)) && readme.contains("granularity-spin-w2.svg"), readme);
        assertEquals("", ComparisonReport.granularityReadme(List.of()));
        final List<String> csv = ComparisonReport.granularityCsv(List.of(table)).lines().toList();
        assertEquals(1 + 2 * 3, csv.size(), "header + points x contenders");
        assertTrue(csv.get(0).startsWith("panel,cost,workers,tasks,task_ns"), csv.get(0));
        assertTrue(csv.get(6).startsWith("spin-w2,spin,2,8000,1000"), csv.get(6));
        assertTrue(csv.get(6).contains("work-stealing"), csv.get(6));
    }
}
