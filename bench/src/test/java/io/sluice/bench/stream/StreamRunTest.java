package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.sluice.bench.dataset.TextRecords;

/**
 * The harness end to end on the wall clock, briefly: every part runs, measures something and leaves no off-heap
 * byte (each run closes its allocator, which throws on a leak). Asserts counts and consistency, never timings.
 */
class StreamRunTest {
    private static final TextRecords TEXT = new TextRecords(3);
    private static final String[] LINES = TEXT.records(0, 4096);
    private static final String NEEDLE = " " + TEXT.word(40) + " ";

    @Test
    void latencyRunRecordsEveryMeasuredRowOnce() throws Exception {
        for (final LatencyBench.Job job : LatencyBench.Job.values()) {
            final LatencyPoint point = LatencyBench.run(job, 10, 20_000, Duration.ofMillis(300), Duration.ofMillis(700));
            assertTrue(point.batches() > 0, job + " measured batches");
            assertTrue(point.latency().count() > 0, job + " measured rows");
            assertEquals(Math.round(point.meanRecordsPerBatch() * point.batches()), point.latency().count(),
                job + ": one latency per row of the measured batches");
            assertEquals(job.label(), point.job());
        }
    }

    @Test
    void throughputAndStragglerRunsProcessTheirInput() throws Exception {
        final StreamRun.Settings timing = new StreamRun.Settings(20, 20_000, Duration.ofMillis(300), Duration.ofMillis(1000));
        final RunStats throughput = new ThroughputBench(LINES, NEEDLE).run(TextJob.GREP, timing);
        assertTrue(throughput.batches() > 0 && throughput.accepted() > 0, "throughput run measured batches: batches="
            + throughput.batches() + " accepted=" + throughput.accepted() + " " + throughput.verdict());
        final RunStats straggler = StragglerBench.run(TextJob.WORDCOUNT, StragglerConfig.WS_STRAGGLER_SPECULATION,
            new StragglerBench.Settings(20, 20_000, 1_000, 3.0, 2), LINES, NEEDLE, timing);
        assertTrue(straggler.batches() > 0, "straggler run measured batches");
        long records = 0;
        for (final long r : straggler.records()) {
            records += r;
        }
        assertTrue(records > 0, "the measured batches held records");
    }

    @Test
    void queueCapacityHoldsFourIntervalsOrHalfASecondWithinBounds() {
        assertEquals(1 << 16, LatencyBench.queueCapacity(1000, 1));
        assertEquals(500_000, LatencyBench.queueCapacity(1e6, 100));
        assertEquals(800_000, LatencyBench.queueCapacity(1e6, 200));
        assertEquals(1 << 22, LatencyBench.queueCapacity(1e9, 100));
    }
}
