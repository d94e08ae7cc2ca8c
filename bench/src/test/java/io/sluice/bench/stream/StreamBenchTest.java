package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.HandOff;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class StreamBenchTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private StreamBench parse(final String... args) {
        final StreamBench bench = new StreamBench(new PrintWriter(out), new PrintWriter(err), "test");
        new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return bench;
    }

    @Test
    void runsEverySectionByDefault() {
        final StreamBench bench = parse();
        assertEquals(EnumSet.allOf(StreamBench.Section.class), bench.sections());
        assertFalse(bench.quick());
    }

    @Test
    void onlyReplacesTheDefaultSections() {
        final StreamBench bench = parse("--quick", "--only", "straggler,latency");
        assertEquals(EnumSet.of(StreamBench.Section.STRAGGLER, StreamBench.Section.LATENCY), bench.sections());
        assertTrue(bench.quick());
    }

    @Test
    void tasksPerWorkerDefaultsToFourAndIsChecked() {
        assertEquals(StragglerBench.DEFAULT_TASKS_PER_WORKER, parse().stragglerTasksPerWorker());
        assertEquals(16, parse("--straggler-tasks-per-worker", "16").stragglerTasksPerWorker());
        assertEquals(2, StreamBench.run(new String[] {"--straggler-tasks-per-worker", "0"}, new PrintWriter(out),
            new PrintWriter(err)));
        assertTrue(err.toString().contains("--straggler-tasks-per-worker=0 must be in [1, 64]"), err.toString());
    }

    @Test
    void theLatencySectionComparesTheGivenHandOffsAtTheGivenIntervals() {
        assertEquals(List.of(HandOff.SPIN_THEN_PARK), parse().handOffs());
        assertEquals(null, parse().intervals());
        final StreamBench bench = parse("--handoff", "blocking_queue,spin_then_park", "--intervals", "1,10");
        assertEquals(List.of(HandOff.BLOCKING_QUEUE, HandOff.SPIN_THEN_PARK), bench.handOffs());
        assertEquals(List.of(1L, 10L), bench.intervals());
    }

    @Test
    void ratesReplaceThePlansAndMustBePositive() {
        assertEquals(StreamBenchPlan.fullPlan().latencyRates(), parse().latencyRates(StreamBenchPlan.fullPlan()));
        assertEquals(List.of(1e6, 2e6), parse("--rates", "1e6,2000000").latencyRates(StreamBenchPlan.fullPlan()));
        assertEquals(2, StreamBench.run(new String[] {"--rates", "1e6,0"}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("--rates: rate=0.0 must be a finite number > 0"), err.toString());
    }

    @Test
    void threadSlicesRunWithEveryHandOffAndMustBeInTheKernelsRange() {
        final List<String> variants = new ArrayList<>();
        for (final long[] variant : parse("--handoff", "spin_then_park,cut_on_job_thread", "--thread-slice", "0,100").variants()) {
            variants.add(variant[0] + "/" + variant[1]);
        }
        assertEquals(List.of("0/0", "0/100000", "1/0", "1/100000"), variants);
        final List<long[]> defaults = parse().variants();
        assertEquals(1, defaults.size());
        assertArrayEquals(new long[] {0, 0}, defaults.get(0), "the first hand-off with the kernel's slice");
        assertEquals(2, StreamBench.run(new String[] {"--thread-slice", "50"}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("--thread-slice: 50 us must be 0 or in [100, 100000]"), err.toString());
    }

    @Test
    void callerOptionsAddDatasetJobsInOrder() {
        assertEquals(List.of(LatencyBench.Job.DATASET), parse().datasetJobs());
        assertEquals(List.of(LatencyBench.Job.DATASET, LatencyBench.Job.DATASET_CALLER_WAITS, LatencyBench.Job.DATASET_CALLER_FIRST),
            parse("--caller-first", "--caller-waits").datasetJobs());
    }

    @Test
    void anUnknownSectionIsAUsageErrorWithExitCode2() {
        assertEquals(2, StreamBench.run(new String[] {"--only", "everything"}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("everything"), err.toString());
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero() {
        assertEquals(0, StreamBench.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(out.toString().contains("--quick") && out.toString().contains("--only"), out.toString());
    }
}
