package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;

import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.RunLoad;

class BenchSuiteTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aJarWithoutBenchmarksGivesAClearError() {
        final int code = run(Optional.empty(), "--quick");
        assertEquals(1, code);
        assertTrue(stderr().contains("holds no benchmarks at all"), stderr());
        assertEquals(1, stderr().lines().count(), "one line: " + stderr());
    }

    @Test
    void aFilterMatchingNothingNamesTheFilter() {
        final BenchmarkList list = BenchmarkList.fromString(entry("io.sluice.bench.sched.StealBench", "steal", null).toLine());
        final int code = run(Optional.of(list), "--quick", "NoSuchBench");
        assertEquals(1, code);
        assertTrue(stderr().contains("no benchmark in bench/target/benchmarks.jar matches filter=[NoSuchBench]"), stderr());
    }

    @Test
    void badJmhOptionsExitWithTwo() {
        assertEquals(2, run(Optional.empty(), "-f", "notANumber"));
        assertTrue(stderr().startsWith("bench: bad JMH option"), stderr());
    }

    @Test
    void helpDocumentsQuickMode() {
        assertEquals(0, run(Optional.empty(), "--help"));
        final String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--quick  1 fork, 1 warmup + 2 measurement iterations of 1 s"), help);
    }

    @Test
    void runsAreEntriesTimesParamCombinationsWithCommandLineParamsWinning() throws Exception {
        final BenchmarkListEntry a = entry("x.A", "m", Map.of("size", new String[] {"1", "2", "3"}, "skew", new String[] {"u", "z"}));
        final BenchmarkListEntry b = entry("x.B", "m", null);
        assertEquals(6 + 1, BenchSuite.countRuns(List.of(a, b), new CommandLineOptions()));
        assertEquals(2 + 1, BenchSuite.countRuns(List.of(a, b), new CommandLineOptions("-p", "size=1")));
    }

    @Test
    void readmeNamesCommandPlanMachineAndResults() {
        final MachineInfo machine = new MachineInfo(2, "Test CPU", 1L << 30, "Linux", "JDK 17", List.of("-Xfoo"),
            Optional.of("abc"), false, ZonedDateTime.of(2026, 11, 24, 0, 0, 0, 0, ZoneOffset.UTC));
        final String readme = BenchSuite.readme("scripts/bench --quick Scan", SuitePlan.QUICK, machine,
            new RunLoad.Measured(1.0, 2.0, 1_000_000_000L, 500_000_000L, 2).toMarkdown() + "- **background load**: none\n",
            "### x\n\n", "![x](x.svg)\n");
        assertTrue(readme.startsWith("# JMH suite (quick mode: a smoke run, not a measurement)"), readme);
        assertTrue(readme.contains("- **command**: `scripts/bench --quick Scan`"), readme);
        assertTrue(readme.contains("1 fork(s), 1 warmup + 2 measurement iterations of 1 s"), readme);
        assertTrue(readme.contains("2 cores, Test CPU"), readme);
        assertTrue(readme.contains("## Results\n\n### x"), readme);
        assertTrue(readme.contains("- **background load**: none"), readme);
        assertTrue(readme.contains("![x](x.svg)"), readme);
    }

    @Test
    void backgroundLoadIsTakenOutOfTheJmhArguments() {
        final List<String> args = new java.util.ArrayList<>(List.of("--background-load", "2", "Scan", "-f", "1"));
        assertEquals(2, BenchSuite.removeBackgroundLoad(args));
        assertEquals(List.of("Scan", "-f", "1"), args);
        assertEquals(0, BenchSuite.removeBackgroundLoad(args));
    }

    @Test
    void badBackgroundLoadExitsWithTwoNamingTheValue() {
        assertEquals(2, run(Optional.empty(), "--background-load", "many"));
        assertTrue(stderr().contains("--background-load value='many'"), stderr());
        assertEquals(2, run(Optional.empty(), "--background-load", "0"));
        assertTrue(stderr().contains("threads=0 must be >= 1"), stderr());
        assertEquals(2, run(Optional.empty(), "--background-load"));
        assertTrue(stderr().contains("needs a thread count"), stderr());
    }

    private int run(final Optional<BenchmarkList> list, final String... args) {
        return BenchSuite.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), () -> list);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static BenchmarkListEntry entry(final String userClass, final String method, final Map<String, String[]> params) {
        final org.openjdk.jmh.util.Optional<Integer> noInt = org.openjdk.jmh.util.Optional.none();
        final org.openjdk.jmh.util.Optional<TimeValue> noTime = org.openjdk.jmh.util.Optional.none();
        return new BenchmarkListEntry(userClass, userClass + "_jmhType", method, Mode.Throughput, noInt, new int[] {1},
            org.openjdk.jmh.util.Optional.none(), noInt, noTime, noInt, noInt, noTime, noInt, noInt, noInt,
            org.openjdk.jmh.util.Optional.none(), org.openjdk.jmh.util.Optional.none(), org.openjdk.jmh.util.Optional.none(),
            org.openjdk.jmh.util.Optional.none(),
            params == null ? org.openjdk.jmh.util.Optional.none() : org.openjdk.jmh.util.Optional.of(params),
            org.openjdk.jmh.util.Optional.<TimeUnit>none(), noInt, noTime);
    }
}
