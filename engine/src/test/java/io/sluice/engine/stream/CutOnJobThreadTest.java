package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;

/**
 * {@link HandOff#CUT_ON_JOB_THREAD} on the wall clock: the idle job thread cuts batches itself, the generator's
 * thread cuts while the job thread is busy, and either way every boundary gets one batch, in order, with its
 * listener events in order; a cut failing on the job thread fails the stream; stop leaves no thread and no byte.
 */
class CutOnJobThreadTest {
    private static final long SAFETY_NET_SECONDS = 60;
    private static final Duration WAIT = Duration.ofSeconds(SAFETY_NET_SECONDS);
    private static final long INTERVAL = 2;
    private static final int BLOCKS = 300;
    private static final String JOB_THREAD = "sluice-stream-jobs";
    private static final String GENERATOR_THREAD = "sluice-stream-generator";

    private static StreamingContext context(final BufferAllocator allocator) {
        return StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .handOff(HandOff.CUT_ON_JOB_THREAD).build();
    }

    /** Records each batch's listener events ("submitted", "started", "completed") and the thread that cut it. */
    private static final class Events implements StreamingListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch cutOnJobThread = new CountDownLatch(1);

        @Override
        public void onBatchSubmitted(final BatchInfo info) {
            events.add("submitted " + info.batchTimeMillis());
            if (Thread.currentThread().getName().equals(JOB_THREAD)) {
                cutOnJobThread.countDown();
            }
        }

        @Override
        public void onBatchStarted(final BatchInfo info) {
            events.add("started " + info.batchTimeMillis());
        }

        @Override
        public void onBatchCompleted(final BatchInfo info) {
            events.add("completed " + info.batchTimeMillis() + (info.succeeded() ? "" : " failed"));
        }

        /** Asserts that every batch time got submitted, started, completed once each, in that order. */
        void assertInOrder(final List<Long> times) {
            final List<String> all = new ArrayList<>(events);
            for (final long time : times) {
                final List<String> mine = new ArrayList<>();
                for (final String event : all) {
                    if (event.endsWith(" " + time)) {
                        mine.add(event);
                    }
                }
                assertEquals(List.of("submitted " + time, "started " + time, "completed " + time), mine);
            }
        }
    }

    /** A source whose poll throws {@code error} when the job thread calls it (works on the generator's thread). */
    private record BrokenOnJobThread(ScriptedSource delegate, AssertionError error) implements Source {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Schema schema() {
            return delegate.schema();
        }

        @Override
        public void start(final SourceContext context) {
            delegate.start(context);
        }

        @Override
        public void poll(final SourceContext context, final long nowNanos) {
            if (Thread.currentThread().getName().equals(JOB_THREAD)) {
                throw error;
            }
            delegate.poll(context, nowNanos);
        }

        @Override
        public void stop() {
            delegate.stop();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public long rejectedRecords() {
            return delegate.rejectedRecords();
        }

        @Override
        public long pendingRecords() {
            return delegate.pendingRecords();
        }
    }

    private static void assertConsecutive(final List<Long> times) {
        assertFalse(times.isEmpty());
        for (int i = 1; i < times.size(); i++) {
            assertEquals(times.get(i - 1) + INTERVAL, times.get(i), "one batch per boundary, in order: " + times);
        }
    }

    @Test
    void everyBoundaryGetsOneBatchInOrderAndTheIdleJobThreadCutsThem() throws Exception {
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final List<Long> values = Collections.synchronizedList(new ArrayList<>());
        final Events events = new Events();
        try (BufferAllocator allocator = new BufferAllocator();
             StreamingContext context = context(allocator)) {
            final ScriptedSource source = new ScriptedSource("numbers");
            final StreamInput input = context.input(source);
            context.foreachBatch(input, (time, batch) -> {
                times.add(time);
                values.addAll(StreamThreads.values(batch));
            });
            context.addListener(events);
            context.start();
            for (int i = 1; i <= BLOCKS; i++) {
                source.add(ScriptedSource.block(allocator, i));
                if (i % 10 == 0) {
                    // Spreads the blocks over batches; the assertions do not depend on where they land.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            assertTrue(events.cutOnJobThread.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "no batch was cut on the job thread");
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < BLOCKS && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            context.stop(true);
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
        final List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= BLOCKS; v++) {
            expected.add(v);
        }
        assertEquals(expected, values, "every record once, in order");
        assertConsecutive(times);
        events.assertInOrder(times);
    }

    @Test
    void whileTheJobThreadIsBusyTheGeneratorCutsEveryBoundary() throws Exception {
        final int cutWhileBusy = 5;
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final List<String> cutters = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean busy = new AtomicBoolean();
        final CountDownLatch queued = new CountDownLatch(cutWhileBusy);
        final AtomicBoolean released = new AtomicBoolean();
        final Events events = new Events();
        try (BufferAllocator allocator = new BufferAllocator();
             StreamingContext context = context(allocator)) {
            final StreamInput input = context.input(new ScriptedSource("numbers"));
            context.foreachBatch(input, (time, batch) -> {
                times.add(time);
                if (times.size() == 1) {
                    busy.set(true);
                    try {
                        released.set(queued.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS));
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    busy.set(false);
                }
            });
            context.addListener(events);
            context.addListener(new StreamingListener() {
                @Override
                public void onBatchSubmitted(final BatchInfo info) {
                    if (busy.get()) {
                        cutters.add(Thread.currentThread().getName());
                        queued.countDown();
                    }
                }
            });
            context.start();
            assertTrue(queued.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "batches cut while the job thread was busy: " + cutters);
            final long last = times.get(0) + 20 * INTERVAL;
            assertTrue(context.awaitBatchCompleted(last, WAIT));
            context.stop(true);
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
        assertTrue(released.get());
        // The job thread was inside the first batch's job: only the generator's thread could cut.
        for (final String cutter : new ArrayList<>(cutters)) {
            assertEquals(GENERATOR_THREAD, cutter);
        }
        assertConsecutive(times);
        events.assertInOrder(times);
    }

    @Test
    void aCutFailingOnTheJobThreadFailsTheStream() throws Exception {
        final AssertionError broken = new AssertionError("poll broken on the job thread");
        try (BufferAllocator allocator = new BufferAllocator()) {
            final StreamingContext context = context(allocator);
            context.input(new BrokenOnJobThread(new ScriptedSource("numbers"), broken));
            context.start();
            final StreamingJobException waited = assertThrows(StreamingJobException.class,
                () -> context.awaitBatchCompleted(Long.MAX_VALUE, WAIT));
            assertInstanceOf(AssertionError.class, waited.getCause());
            final StreamingJobException stopped = assertThrows(StreamingJobException.class, () -> context.stop(true));
            assertEquals(broken, stopped.getCause());
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
    }
}
