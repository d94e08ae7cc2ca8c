package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bench.Contender;
import io.sluice.bench.Skew;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.cli.SweepOptions;
import io.sluice.bench.report.Plots;

class SchedulingSweepTest {
    @Test
    void cellsAreTheProductOfTheAxes() {
        final List<SchedulingSweep.Cell> cells = SchedulingSweep.cells(CompareSchedulingOptions.parse("--sweep").sweep());
        assertEquals(3 * 3 * 4 * 2, cells.size());
        assertEquals(cells.size(), cells.stream().distinct().count());
        assertEquals(new SchedulingSweep.Cell(Skew.zipf(1.0), 16, new SweepOptions.Slow(1, 2), 0), cells.get(0));
        final MorselJob job = cells.get(0).job(8, 1000, 42);
        assertEquals(16, job.tasks());
        assertEquals(8, job.workers());
        int slow = 0;
        for (int w = 0; w < 8; w++) {
            slow += job.workload().workerSlowdown(w) == 2.0 ? 1 : 0;
        }
        assertEquals(1, slow);
    }

    @Test
    void tinySweepWritesTheTableTheCsvAndOneHeatMapPerPolicy(@TempDir final Path dir) throws IOException {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(0, CompareScheduling.run(new String[] {"--sweep", "--workers", "2", "--sweep-skews", "zipf:1.3",
            "--sweep-tasks", "4,8", "--sweep-slow", "1x2", "--sweep-failure-rates", "0,0.25", "--sweep-task-micros",
            "100", "--sweep-repetitions", "1", "--out", dir.toString()}, new PrintWriter(out), new PrintWriter(err)),
            err.toString());
        final int policies = SchedulingSweep.CONTENDERS.size();
        assertEquals(4 * policies, err.toString().lines().filter(l -> l.startsWith("[")).count(), "cells x policies x 1 run");
        final Path folder;
        try (Stream<Path> list = Files.list(dir)) {
            folder = list.findFirst().orElseThrow();
        }
        assertTrue(folder.getFileName().toString().endsWith("-compare-scheduling-sweep"), folder.toString());
        for (final Contender p : SchedulingSweep.CONTENDERS) {
            assertTrue(Files.size(folder.resolve("sweep-" + p.label() + ".png")) > 0, p.label());
            assertTrue(Files.size(folder.resolve("sweep-" + p.label() + ".svg")) > 0, p.label());
        }
        final List<String> csv = Files.readAllLines(folder.resolve("sweep.csv"));
        assertEquals(1 + 4 * policies, csv.size(), "header + cells x policies");
        for (final String tasks : List.of("4", "8")) {
            for (final String failure : List.of("0", "0.25")) {
                for (final Contender p : SchedulingSweep.CONTENDERS) {
                    final String prefix = "zipf:1.3," + tasks + ",1,2," + failure + ",";
                    final String row = csv.stream().filter(l -> l.startsWith(prefix) && l.contains("," + p.label() + ","))
                        .findFirst().orElseThrow(() -> new AssertionError(prefix + p.label() + " in " + csv));
                    assertTrue(row.endsWith("," + tasks), "every task committed exactly once: " + row);
                }
            }
        }
        final String table = out.toString();
        assertEquals(4, table.lines().filter(l -> l.startsWith("| zipf:1.3 ")).count(), table);
        assertTrue(table.contains("work-stealing: within 1.15x LB in ") && table.contains("Target (work stealing"), table);
        final String readme = Files.readString(folder.resolve("README.md"));
        assertTrue(readme.contains("## Findings") && readme.contains("**load average (1 min)**")
            && readme.contains("--sweep-tasks 4,8"), readme);
    }

    @Test
    void findingsCountCellsWithinTheTargetAndNameTheWorstCell() {
        final SchedulingSweep.Cell a = new SchedulingSweep.Cell(Skew.zipf(1.0), 16, new SweepOptions.Slow(1, 8), 0);
        final SchedulingSweep.Cell b = new SchedulingSweep.Cell(Skew.zipf(1.6), 64, new SweepOptions.Slow(2, 2), 0.05);
        final SweepReport report = new SweepReport(List.of(
            new SchedulingSweep.Result(a, 1e6, 1.2e6, ComparisonTable.of(List.of(run(Contender.WORK_STEALING, 1_100_000)), 1e6)),
            new SchedulingSweep.Result(b, 1e6, 1.2e6, ComparisonTable.of(List.of(run(Contender.WORK_STEALING, 1_500_000)), 1e6))));
        assertEquals(1, report.cellsWithinTarget(Contender.WORK_STEALING));
        assertEquals(b, report.worst(Contender.WORK_STEALING).cell());
        final List<String> findings = report.findings();
        assertTrue(findings.get(0).startsWith("work-stealing: within 1.15x LB in 1 of 2 cells")
            && findings.get(0).contains("worst 1.50x at 64 zipf:1.6, slow 2x2, fail 0.05"), findings.get(0));
        assertTrue(findings.get(1).contains("not met in this run (1 of 2 cells)"), findings.get(1));
    }

    @Test
    void heatMapSavesValuesAboveItsScaleAndEmptyCells(@TempDir final Path dir) throws IOException {
        final double[][] values = {{1.0, 7.5}, {Double.NaN, 1.2}};
        for (final Path file : Plots.save(Plots.heatMap("t", "x", "y", List.of("a", "b"), List.of("r1", "r2"), values,
            1, 2), dir, "map")) {
            assertTrue(Files.size(file) > 0, file.toString());
        }
    }

    private static RunRecord run(final Contender policy, final long makespanNanos) {
        return new RunRecord(policy, 1, makespanNanos, new long[] {makespanNanos}, 0, 0, 0, 1, 1);
    }
}
