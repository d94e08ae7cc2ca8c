package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSummaryTest {
    private static final String SCAN = "io.sluice.bench.ScanBench";
    private static final String SCHED = "io.sluice.bench.sched.SchedBench";

    private static final List<BenchRow> ROWS = List.of(
        new BenchRow(SCAN, "arrayScan", "thrpt", Map.of("size", "1024"), 100.0, 5.0, "ops/us"),
        new BenchRow(SCAN, "vectorScan", "thrpt", Map.of("size", "1024"), 80.0, 4.0, "ops/us"),
        new BenchRow(SCAN, "vectorScan", "thrpt", Map.of("size", "4096"), 20.0, Double.NaN, "ops/us"),
        new BenchRow(SCHED, "makespan", "avgt", Map.of("policy", "static", "workers", "4"), 40.0, 2.0, "ms/op"),
        new BenchRow(SCHED, "makespan", "avgt", Map.of("policy", "stealing", "workers", "4"), 10.0, 1.0, "ms/op"),
        new BenchRow(SCHED, "makespan", "avgt", Map.of("policy", "stealing", "workers", "8"), 6.0, 1.0, "ms/op"));

    private static BaselineRule rules(final String benchmarkClass) {
        return benchmarkClass.equals(SCAN) ? BaselineRule.method("arrayScan") : BaselineRule.param("policy", "static");
    }

    @Test
    void ratioIsScoreOverTheBaselineAtTheSameParams() {
        final BenchSummary summary = new BenchSummary(ROWS, BenchSummaryTest::rules);
        assertEquals(Optional.of(1.0), summary.ratio(ROWS.get(0)));
        assertEquals(Optional.of(0.8), summary.ratio(ROWS.get(1)));
        assertEquals(Optional.empty(), summary.ratio(ROWS.get(2)), "no arrayScan at size=4096 in this run");
        assertEquals(Optional.of(0.25), summary.ratio(ROWS.get(4)));
        assertEquals(Optional.empty(), summary.ratio(ROWS.get(5)), "no static at workers=8 in this run");
    }

    @Test
    void markdownHasOneTablePerClassWithParamsErrorAndRatioColumns() {
        final String md = new BenchSummary(ROWS, BenchSummaryTest::rules).markdown();
        assertTrue(md.contains("### " + SCAN), md);
        assertTrue(md.contains("### " + SCHED), md);
        assertTrue(md.contains("| benchmark  | mode  | size | score |  error | unit   | ratio to method `arrayScan` |"), md);
        assertTrue(md.contains("| vectorScan | thrpt | 1024 | 80.00 | ± 4.00 | ops/us |                       0.80× |"), md);
        assertTrue(md.contains("| vectorScan | thrpt | 4096 | 20.00 |    n/a | ops/us |                             |"), md);
        assertTrue(md.contains("ratio to `policy=static`"), md);
        assertTrue(md.contains("| makespan  | avgt | stealing | 4       | 10.00 | ± 1.00 | ms/op |"), md);
    }

    @Test
    void classesWithoutABaselineHaveNoRatioColumn() {
        final String md = new BenchSummary(ROWS, c -> BaselineRule.none()).markdown();
        assertTrue(!md.contains("ratio"), md);
    }

    @Test
    void onePlotPerClassIsWritten(@TempDir final Path dir) throws Exception {
        final var plots = new BenchSummary(ROWS, BenchSummaryTest::rules).plots();
        assertEquals(List.of("ScanBench", "SchedBench"), List.copyOf(plots.keySet()));
        for (final var plot : plots.entrySet()) {
            Plots.save(plot.getValue(), dir, plot.getKey());
            assertTrue(Files.size(dir.resolve(plot.getKey() + ".svg")) > 0);
        }
    }
}
