package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingMetricsTest {
    private static final long MS = 1_000_000L;

    private final BufferAllocator allocator = new BufferAllocator();
    private final ManualStreamClock clock = new ManualStreamClock(0);

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    @Test
    void batchInfoAndListenerFollowEachBatchWithExactDelays() throws Exception {
        // processing time per batch time: batch 500 takes 150 ms, so batch 600 waits 50 ms for it
        final long[] processingMillis = {0, 10, 20, 30, 40, 150, 10, 10};
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<BatchInfo> completed = Collections.synchronizedList(new ArrayList<>());
        final SimulatedWork work = new SimulatedWork(clock, (time, batch) -> processingMillis[(int) (time / 100)] * MS);
        final ScriptedSource source = new ScriptedSource("s");
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).progressLogInterval(Duration.ofMillis(250)).build();
        context.foreachBatch(context.input(source), work);
        context.addListener(new StreamingListener() {
            @Override
            public void onBatchSubmitted(final BatchInfo info) {
                events.add("submitted " + info.batchTimeMillis());
            }

            @Override
            public void onBatchStarted(final BatchInfo info) {
                events.add("started " + info.batchTimeMillis());
            }

            @Override
            public void onBatchCompleted(final BatchInfo info) {
                events.add("completed " + info.batchTimeMillis());
                completed.add(info);
            }
        });
        context.start();
        source.add(ScriptedSource.block(allocator, 1, 2, 3));
        for (int i = 0; i < 72; i++) {
            work.step(context, 10);
        }
        context.stop(true);

        assertEquals(7, completed.size());
        for (long time = 100; time <= 700; time += 100) {
            final int submitted = events.indexOf("submitted " + time);
            final int started = events.indexOf("started " + time);
            assertTrue(submitted >= 0 && submitted < started && started < events.indexOf("completed " + time), events.toString());
        }
        final BatchInfo first = completed.get(0);
        assertEquals(100, first.batchTimeMillis());
        assertEquals(3, first.records());
        assertEquals(100 * MS, first.submissionNanos());
        assertEquals(0, first.schedulingDelayNanos());
        assertEquals(10 * MS, first.processingNanos());
        final BatchInfo waited = completed.get(5);
        assertEquals(600, waited.batchTimeMillis());
        assertEquals(50 * MS, waited.schedulingDelayNanos());
        assertEquals(10 * MS, waited.processingNanos());
        assertEquals(60 * MS, waited.totalDelayNanos());
        assertTrue(waited.succeeded());

        final StreamingMetrics metrics = context.metrics();
        assertEquals(7, metrics.batchesCompleted());
        assertEquals(3, metrics.recordsProcessed());
        // total delays in ms, sorted: 10 10 20 30 40 60 150; the median is the 4th of 7
        assertEquals(30 * MS, metrics.totalDelayPercentileNanos(50), 0.001 * 30 * MS + 1);
        assertEquals(150 * MS, metrics.totalDelayPercentileNanos(99), 0.001 * 150 * MS + 1);
        assertEquals(150 * MS, metrics.totalDelayPercentileNanos(99.9), 0.001 * 150 * MS + 1);
        assertEquals(50 * MS, metrics.schedulingDelayPercentileNanos(100), 0.001 * 50 * MS + 1);
        assertEquals(7, metrics.totalDelayHistogram().getTotalCount());
        final String line = metrics.progressLine();
        assertTrue(line.startsWith("batches=7 failed=0 records=3 queued=0 lagRecords=0"), line);
        assertTrue(line.contains("p99=150.") && line.contains("p50=30."), line);
    }

    @Test
    void snapshotsAreCountedWithTheirBatchTimeOnlyWithAWriteAheadLog(@TempDir final Path folder) throws Exception {
        final List<Long> snapshotted = Collections.synchronizedList(new ArrayList<>());
        final Checkpointed operator = new Checkpointed() {
            @Override
            public String checkpointName() {
                return "op";
            }

            @Override
            public void snapshot(final long batchTimeMillis, final Path dir) {
                snapshotted.add(batchTimeMillis);
            }

            @Override
            public void restore(final long batchTimeMillis, final Path dir) {
            }
        };
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).checkpointEvery(2).build();
        context.input(new ScriptedSource("s"));
        context.addCheckpointed(operator);
        assertTrue(context.metrics().writeAheadLog());
        assertEquals(-1, context.metrics().lastSnapshotBatchTimeMillis());
        context.start();
        clock.advanceMillis(450);
        assertTrue(context.awaitBatchCompleted(400, Duration.ofSeconds(20)));
        context.stop(true);
        assertEquals(List.of(200L, 400L), snapshotted);
        assertEquals(2, context.metrics().snapshots());
        assertEquals(400, context.metrics().lastSnapshotBatchTimeMillis());
        assertTrue(context.metrics().lastSnapshotNanos() > 0);
        try (StreamingContext plain = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator).build()) {
            assertFalse(plain.metrics().writeAheadLog());
            assertEquals(0, plain.metrics().snapshots());
        }
    }
}
