package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingContextTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();
    private final ManualStreamClock clock = new ManualStreamClock(0);

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    private StreamingContext context(final long intervalMillis) {
        return StreamingContext.builder().batchInterval(Duration.ofMillis(intervalMillis)).allocator(allocator).clock(clock).build();
    }

    /** A batch time and the values it held. */
    private record Seen(long time, List<Long> values) {
    }

    @Test
    void cutsOneMicroBatchPerIntervalAtTheBoundary() throws Exception {
        final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        try (StreamingContext context = context(100)) {
            final ScriptedSource source = new ScriptedSource("numbers");
            final StreamInput input = context.input(source);
            context.foreachBatch(input, (time, batch) -> seen.add(new Seen(time, StreamThreads.values(batch))));
            context.start();
            source.add(ScriptedSource.block(allocator, 1, 2));
            source.add(ScriptedSource.block(allocator, 3));
            clock.advanceMillis(150);
            assertTrue(context.awaitBatchCompleted(100, WAIT));
            source.add(ScriptedSource.block(allocator, 4));
            clock.advanceMillis(250);
            assertTrue(context.awaitBatchCompleted(400, WAIT));
            assertFalse(context.awaitBatchGenerated(500, Duration.ofMillis(20)), "no batch before its boundary");
        }
        assertEquals(List.of(new Seen(100, List.of(1L, 2L, 3L)), new Seen(200, List.of(4L)), new Seen(300, List.of()),
            new Seen(400, List.of())), seen);
    }

    @Test
    void slowBatchQueuesAndNeverBlocksTheGenerator() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        try (StreamingContext context = context(10)) {
            final StreamInput input = context.input(new ScriptedSource("s"));
            context.foreachBatch(input, (time, batch) -> {
                release.await();
                times.add(time);
            });
            context.start();
            clock.advanceMillis(50);
            assertTrue(context.awaitBatchGenerated(50, WAIT));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (context.metrics().queueLength() != 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(4, context.metrics().queueLength(), "batch 10 runs, 20..50 wait");
            release.countDown();
            assertTrue(context.awaitBatchCompleted(50, WAIT));
            assertEquals(0, context.metrics().queueLength());
            assertTrue(context.metrics().maxQueueLength() >= 4);
        }
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), times);
    }

    @Test
    void gracefulStopProcessesQueuedBatchesAndWhatWasReceived() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        final StreamingContext context = context(10);
        final ScriptedSource source = new ScriptedSource("s");
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> {
            release.await();
            seen.add(new Seen(time, StreamThreads.values(batch)));
        });
        context.start();
        source.add(ScriptedSource.block(allocator, 7));
        clock.advanceMillis(20);
        assertTrue(context.awaitBatchGenerated(20, WAIT));
        source.add(ScriptedSource.block(allocator, 8, 9));
        final Thread stopper = new Thread(() -> context.stop(true));
        stopper.start();
        release.countDown();
        stopper.join();
        assertEquals(List.of(new Seen(10, List.of(7L)), new Seen(20, List.of()), new Seen(30, List.of(8L, 9L))), seen);
        assertEquals(3, context.metrics().recordsProcessed());
    }

    @Test
    void immediateStopDropsQueuedBatchesAndReleasesTheirMemory() throws Exception {
        final CountDownLatch running = new CountDownLatch(1);
        final AtomicReference<Throwable> jobEnd = new AtomicReference<>();
        final StreamingContext context = context(10);
        final ScriptedSource source = new ScriptedSource("s");
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (final InterruptedException ex) {
                jobEnd.set(ex);
                throw ex;
            }
        });
        context.start();
        for (int i = 0; i < 5; i++) {
            source.add(ScriptedSource.block(allocator, i, i + 1, i + 2));
            clock.advanceMillis(10);
            assertTrue(context.awaitBatchGenerated(10L * (i + 1), WAIT));
        }
        assertTrue(running.await(20, TimeUnit.SECONDS));
        assertTrue(allocator.bytesOutstanding() > 0);
        context.stop(false);
        assertInstanceOf(InterruptedException.class, jobEnd.get());
        assertEquals(0, context.metrics().batchesCompleted());
        assertEquals(0, context.metrics().queueLength());
        assertEquals(0, allocator.bytesOutstanding());
        assertEquals(0, input.heldBytes());
    }

    @Test
    void stopLeavesNoThreadAndNoOffHeapByteOnTheSystemClock() throws Exception {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(1)).allocator(allocator).build();
        final ScriptedSource source = new ScriptedSource("s");
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> { });
        context.start();
        source.add(ScriptedSource.block(allocator, 1, 2, 3));
        final long first = context.clock().millis();
        assertTrue(context.awaitBatchCompleted(first + 5, WAIT));
        assertFalse(StreamThreads.alive().isEmpty());
        context.stop(true);
        assertEquals(List.of(), StreamThreads.alive());
        assertEquals(0, allocator.bytesOutstanding());
        assertEquals(3, context.metrics().recordsProcessed());
    }

    @Test
    void failingJobStopsTheStreamAndStopRethrowsIt() throws Exception {
        final StreamingContext context = context(10);
        final ScriptedSource source = new ScriptedSource("s");
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> {
            if (time == 20) {
                throw new IllegalStateException("boom at 20");
            }
        });
        context.start();
        clock.advanceMillis(20);
        final StreamingJobException waited = assertThrows(StreamingJobException.class, () -> context.awaitBatchCompleted(20, WAIT));
        assertEquals("boom at 20", waited.getCause().getMessage());
        assertTrue(context.failure().isPresent());
        final StreamingJobException thrown = assertThrows(StreamingJobException.class, () -> context.stop(true));
        assertEquals("boom at 20", thrown.getCause().getMessage());
        assertEquals(1, context.metrics().batchesCompleted());
        assertEquals(1, context.metrics().batchesFailed());
    }

    /**
     * An Error (here an AssertionError, as a test inside foreachBatch throws) used to end the executor's batch
     * silently: failure() stayed empty, stop() returned normally and the wait ran its whole timeout.
     */
    @Test
    void errorInAJobFailsTheStreamWithThatCause() throws Exception {
        final StreamingContext context = context(10);
        final ScriptedSource source = new ScriptedSource("s");
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> {
            if (time == 20) {
                throw new AssertionError("assertion in a job at 20");
            }
        });
        context.start();
        source.add(ScriptedSource.block(allocator, 1, 2, 3));
        clock.advanceMillis(20);
        // The wait's own timeout is an hour, the safety net five minutes: the wait ends only because the failure
        // woke it, not by its timeout, and no load on the machine makes that a race.
        final StreamingJobException waited = assertTimeoutPreemptively(Duration.ofMinutes(5),
                () -> assertThrows(StreamingJobException.class, () -> context.awaitBatchCompleted(30, Duration.ofHours(1))),
                "the wait ends with the failure, not the timeout");
        assertInstanceOf(AssertionError.class, waited.getCause());
        assertInstanceOf(AssertionError.class, context.failure().orElseThrow());
        final StreamingJobException stopped = assertThrows(StreamingJobException.class, () -> context.stop(true));
        assertEquals("assertion in a job at 20", stopped.getCause().getMessage());
        assertEquals(List.of(), StreamThreads.alive());
        assertEquals(0, allocator.bytesOutstanding(), "the failed batch was released");
    }

    /** An Error from a source's poll (a file too large for memory, a fault) fails the stream instead of its thread. */
    @Test
    void errorInASourceFailsTheStreamWithThatCause() throws Exception {
        final StreamingContext context = context(10);
        final StreamInput input = context.input(new Source() {
            @Override
            public String name() {
                return "faulty";
            }

            @Override
            public Schema schema() {
                return ScriptedSource.SCHEMA;
            }

            @Override
            public void start(final SourceContext ctx) {
            }

            @Override
            public void poll(final SourceContext ctx, final long nowNanos) {
                throw new OutOfMemoryError("simulated: source ran out of memory");
            }

            @Override
            public void stop() {
            }

            @Override
            public long rejectedRecords() {
                return 0;
            }
        });
        context.foreachBatch(input, (time, batch) -> { });
        context.start();
        clock.advanceMillis(10);
        final StreamingJobException waited = assertThrows(StreamingJobException.class, () -> context.awaitBatchGenerated(10, WAIT));
        assertInstanceOf(OutOfMemoryError.class, waited.getCause());
        assertThrows(StreamingJobException.class, () -> context.awaitBatchCompleted(10, WAIT));
        final StreamingJobException stopped = assertThrows(StreamingJobException.class, () -> context.stop(true));
        assertInstanceOf(OutOfMemoryError.class, stopped.getCause());
        assertEquals(List.of(), StreamThreads.alive());
    }

    @Test
    void builderRejectsIntervalsOutsideOneMillisecondToOneHour() {
        final StreamingContext.Builder builder = StreamingContext.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.batchInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.batchInterval(Duration.ofNanos(1_500_000)));
        assertThrows(IllegalArgumentException.class, () -> builder.batchInterval(Duration.ofHours(2)));
        assertThrows(IllegalStateException.class, () -> builder.build());
        builder.batchInterval(Duration.ofMinutes(5)).allocator(allocator).build().close();
    }

    @Test
    void configurationIsRefusedAfterStart() {
        try (StreamingContext context = context(10)) {
            context.input(new ScriptedSource("a"));
            assertThrows(IllegalArgumentException.class, () -> context.input(new ScriptedSource("a")));
            context.start();
            assertThrows(IllegalStateException.class, () -> context.input(new ScriptedSource("b")));
            assertThrows(IllegalStateException.class, context::start);
        }
    }

    @Test
    void stopHooksRunAfterTheThreadsEndedNewestFirstAndAFailingHookIsRethrownAfterTheOthers() throws Exception {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
        final StreamingContext context = context(100);
        context.input(new ScriptedSource("numbers"));
        context.onStop(() -> ran.add("first:" + StreamThreads.alive().size()));
        context.onStop(() -> {
            throw new IllegalStateException("hook broke");
        });
        context.onStop(() -> ran.add("third:" + StreamThreads.alive().size()));
        context.start();
        // A hook added while running (a dashboard attached to a running context) runs too, first.
        context.onStop(() -> ran.add("late:" + StreamThreads.alive().size()));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> context.stop(true));
        assertEquals("hook broke", ex.getMessage());
        assertEquals(List.of("late:0", "third:0", "first:0"), ran);
        assertThrows(IllegalStateException.class, () -> context.onStop(() -> { }));
        context.stop(true);     // idempotent: the hooks do not run again
        assertEquals(3, ran.size());
    }

    @Test
    void aRemovedListenerHearsNoLaterBatch() throws Exception {
        final List<Long> heard = Collections.synchronizedList(new ArrayList<>());
        final StreamingListener listener = new StreamingListener() {
            @Override
            public void onBatchCompleted(final BatchInfo info) {
                heard.add(info.batchTimeMillis());
            }
        };
        try (StreamingContext context = context(100)) {
            context.input(new ScriptedSource("s"));
            context.addListener(listener);
            context.start();
            clock.advanceMillis(150);
            assertTrue(context.awaitBatchCompleted(100, WAIT));
            context.removeListener(listener);
            clock.advanceMillis(200);
            assertTrue(context.awaitBatchCompleted(300, WAIT));
        }
        assertEquals(List.of(100L), heard);
    }
}
