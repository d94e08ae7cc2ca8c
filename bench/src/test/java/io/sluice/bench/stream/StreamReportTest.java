package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.BatchPhases;
import io.sluice.engine.stream.HandOff;

class StreamReportTest {
    private static final long MS = 1_000_000L;
    private static final Sustainability.Verdict OK = new Sustainability.Verdict(true, 0, 5 * MS, "");
    private static final Sustainability.Verdict FAIL = new Sustainability.Verdict(false, 90 * MS, 5 * MS, "scheduling delay grows");

    @TempDir
    Path dir;

    private static LatencyPoint point(final String job, final long interval, final double rate, final long p99Nanos,
                                      final long processingNanos, final Sustainability.Verdict verdict) {
        return new LatencyPoint(job, interval, rate, rate, new LatencyPercentiles(1000, p99Nanos / 2, p99Nanos, p99Nanos, p99Nanos),
            100, rate * interval / 1000, processingNanos, processingNanos * 2, MS, new GcActivity(1, 3),
            new HiccupMeter.Hiccups(100, MS / 10, MS, 2 * MS), verdict);
    }

    private static RunStats stats(final long... processingMillis) {
        final long[] processing = new long[processingMillis.length];
        for (int i = 0; i < processing.length; i++) {
            processing[i] = processingMillis[i] * MS;
        }
        return new RunStats(new long[processing.length], processing, new long[processing.length], 10, 10, 0, 1_000 * MS,
            new GcActivity(0, 0), HiccupMeter.Hiccups.NONE, OK);
    }

    @Test
    void theLatencyGoalIsMetOnlyWhenTheGoalPointIsSustainableWithASmallP99() {
        assertTrue(LatencyReport.goal(List.of(point("dataset", 1, 1e6, 4 * MS, MS / 2, OK))).contains("**met**"));
        assertTrue(LatencyReport.goal(List.of(point("dataset", 1, 1e6, 6 * MS, MS / 2, OK))).contains("**not met**"));
        assertTrue(LatencyReport.goal(List.of(point("dataset", 1, 1e6, 4 * MS, MS / 2, FAIL))).contains("**not met**"));
        final String notReached = LatencyReport.goal(List.of(point("dataset", 1, 250e3, 2 * MS, MS / 4, OK),
            point("dataset", 1, 500e3, 9 * MS, 2 * MS, FAIL)));
        assertTrue(notReached.contains("not reached") && notReached.contains("250,000"), notReached);
    }

    @Test
    void theBreakdownSplitsEachBatchIntoItsPhasesAndTheReportShowsThemWithTheAllocation() {
        final Breakdown breakdown = new Breakdown();
        for (int i = 1; i <= 100; i++) {
            // Batch time i ms, cut started 50 us after it, jobs from 1 ms + 300 us to 1 ms + 300 us + i us.
            final long submitted = i * MS + 50_000;
            breakdown.add(new BatchInfo(i, 10, false, submitted, submitted + 300_000, submitted + 300_000 + i * 1_000L, null,
                Long.MIN_VALUE, 0, new BatchPhases(20_000, 0, 250_000 + i, 5_000)));
        }
        assertEquals(100, breakdown.batches());
        final Breakdown.Summary summary = breakdown.summary();
        assertEquals(50_000, summary.p50(Breakdown.Phase.WAKE));
        assertEquals(20_000, summary.p99(Breakdown.Phase.CUT));
        assertEquals(0, summary.p99(Breakdown.Phase.WAL));
        assertEquals(250_099, summary.p99(Breakdown.Phase.HAND_OFF));
        assertEquals(50_000, summary.p50(Breakdown.Phase.STAGES));
        assertEquals(99_000, summary.p99(Breakdown.Phase.STAGES));
        assertEquals(5_000, summary.p50(Breakdown.Phase.COMMIT));
        final LatencyPoint base = point("dataset", 1, 1e6, 2 * MS, MS / 2, OK);
        final LatencyPoint point = new LatencyPoint(base.job(), base.intervalMillis(), base.targetRate(), base.offeredRate(),
            base.latency(), base.batches(), base.meanRecordsPerBatch(), base.processingP50Nanos(), base.processingP99Nanos(),
            base.delayP99Nanos(), base.gc(), base.hiccups(), base.verdict(), HandOff.BLOCKING_QUEUE, summary,
            new Allocation(2_000_000, 86_000_000, 1_000, 1_000_000), 0);
        final String table = LatencyReport.breakdown(List.of(point));
        final String row = table.substring(table.indexOf("| dataset"));
        for (final String cell : List.of("blocking", "1,000,000", "50 / 50", "20 / 20", "0 / 0", "250 / 250", "50 / 99", "5 / 5",
            "2000", "2.00", "86.0")) {
            assertTrue(row.contains("| " + cell + " "), cell + " in " + row);
        }
    }

    @Test
    void theMarginalCostPerRecordComesFromTheLowestAndHighestSustainablePoints() {
        // 10 records/batch at 0.1 ms, 1,000 records/batch at 0.6 ms: 500 us / 990 records = 505 ns per record.
        final String limits = LatencyReport.limits(List.of(point("dataset", 1, 10e3, MS, MS / 10, OK),
            point("dataset", 1, 1e6, 3 * MS, 6 * MS / 10, OK), point("dataset", 1, 2e6, 9 * MS, 3 * MS, FAIL)));
        assertTrue(limits.contains("505 ns"), limits);
        assertTrue(limits.contains("0.100 ms median processing"), limits);
    }

    @Test
    void theStragglerGoalComparesSpeculationWithNoStragglerUnderWorkStealing() {
        final StreamResults results = new StreamResults();
        results.straggler.add(new StragglerRow(TextJob.GREP, StragglerConfig.WS_NONE, stats(100, 100, 110)));
        results.straggler.add(new StragglerRow(TextJob.GREP, StragglerConfig.WS_STRAGGLER, stats(150, 150, 150)));
        results.straggler.add(new StragglerRow(TextJob.GREP, StragglerConfig.WS_STRAGGLER_SPECULATION, stats(110, 115, 120)));
        results.straggler.add(new StragglerRow(TextJob.WORDCOUNT, StragglerConfig.WS_NONE, stats(100)));
        results.straggler.add(new StragglerRow(TextJob.WORDCOUNT, StragglerConfig.WS_STRAGGLER, stats(300)));
        results.straggler.add(new StragglerRow(TextJob.WORDCOUNT, StragglerConfig.WS_STRAGGLER_SPECULATION, stats(130)));
        final String goal = StragglerReport.goal(results);
        assertTrue(goal.contains("grep, straggler + speculation <= 1.2x no straggler): **met** (1.15x)"), goal);
        assertTrue(goal.contains("wordcount, straggler + speculation <= 1.2x no straggler): **not met** (1.30x)"), goal);
        assertEquals(StragglerConfig.STATIC_NONE, StragglerReport.noStraggler(StragglerConfig.STATIC_STRAGGLER));
        assertEquals(StragglerConfig.WS_NONE, StragglerReport.noStraggler(StragglerConfig.WS_STRAGGLER_SPECULATION));
    }

    @Test
    void writesTheReadmeCsvFilesAndPlots() throws Exception {
        final StreamResults results = new StreamResults();
        results.latency.add(point("dataset", 1, 10e3, MS, MS / 10, OK));
        results.latency.add(point("dataset", 1, 1e6, 3 * MS, 6 * MS / 10, OK));
        results.latency.add(point("none", 1, 1e6, 2 * MS, MS / 100, OK));
        results.throughput.add(new RatePoint("grep", 100, 50e3, stats(10, 12)));
        results.maxSustainable.put(TextJob.GREP, 50e3);
        results.baselines.add(new StreamResults.JavaBaselineRow(TextJob.GREP,
            new JavaBaseline.Result(JavaBaseline.Mode.SINGLE_THREAD, 1e6, 5)));
        results.baselines.add(new StreamResults.JavaBaselineRow(TextJob.GREP,
            new JavaBaseline.Result(JavaBaseline.Mode.PARALLEL_STREAM, 2e6, 5)));
        for (final TextJob job : TextJob.values()) {
            for (final StragglerConfig config : StragglerConfig.values()) {
                results.straggler.add(new StragglerRow(job, config, stats(100, 120)));
            }
        }
        final MachineInfo machine = new MachineInfo(2, "test cpu", 1L << 30, "Linux", "JDK 17", List.of("-Xmx1g"),
            Optional.of("abc123"), false, ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC));
        final ReportFolder folder = ReportFolder.create(dir, "streaming", LocalDate.of(2026, 11, 24));
        final Path readme = StreamReport.write(folder, new StreamReport.Context("scripts/stream-bench --quick", machine,
            StreamBenchPlan.quickPlan(), EnumSet.allOf(StreamBench.Section.class), 1.5,
            new RunLoad.Measured(2.0, 3.0, 90_000_000_000L, 120_000_000_000L, 2), " the "), results);
        final String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertTrue(text.contains("scripts/stream-bench --quick"), "command");
        assertTrue(text.contains("abc123"), "commit");
        assertTrue(text.contains("2.00 before the run, 3.00 after") && text.contains("120.0 s CPU time in 90.0 s wall"),
            "measured load");
        assertTrue(!text.contains("other helpers"), "no fixed sentence about the machine");
        assertTrue(text.contains("## 1. End-to-end latency") && text.contains("## 2. Sustained throughput")
            && text.contains("## 3. Straggler experiment"), "sections");
        assertTrue(text.contains("**Goal** (p99 <= 5 ms at 1 ms batches and 1M records/s, Dataset job): **met**"), text);
        assertTrue(text.contains("0.55 / 3.02 / 1.00"), "paper figures");
        for (final String file : List.of("latency.csv", "throughput.csv", "straggler.csv", "latency-1ms.png", "latency-1ms.svg",
            "throughput.png", "straggler.png", "straggler-ratio.svg")) {
            assertTrue(Files.size(folder.resolve(file)) > 0, file);
        }
        final List<String> csv = Files.readAllLines(folder.resolve("straggler.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 2 * StragglerConfig.values().length * 2, csv.size());
    }
}
