package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertEquals(range(1, BLOCKS), values, "every record once, in order");
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

    /** Waits (safety net {@link #WAIT}) until {@code condition} holds; returns whether it did. */
    private static boolean eventually(final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** {@code from..to}, both included. */
    private static List<Long> range(final long from, final long to) {
        final List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            values.add(v);
        }
        return values;
    }

    /** Adds blocks of one value (1, 2, ...) a millisecond apart until {@code until} opens; returns the last value. */
    private static long feedUntil(final ScriptedSource source, final BufferAllocator allocator, final CountDownLatch until) {
        long value = 0;
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (until.getCount() > 0 && System.nanoTime() < deadline) {
            source.add(ScriptedSource.block(allocator, ++value));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertEquals(0, until.getCount(), "no batch with records was cut on the job thread");
        return value;
    }

    /** A second run on {@code folder}: the values of replayed batches, split by whether they completed before. */
    private static void restart(final Path folder, final BufferAllocator allocator, final List<Long> redelivered,
                                final List<Long> completedBefore) throws InterruptedException {
        try (StreamingContext second = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .checkpointFolder(folder).handOff(HandOff.CUT_ON_JOB_THREAD).build()) {
            final StreamInput input = second.input(new ScriptedSource("numbers"));
            second.addJob(batch -> {
                final List<Long> values = StreamThreads.values(batch.batch(input));
                assertTrue(batch.replayed() || values.isEmpty(), "new batches of an empty source: " + values);
                (batch.completedBefore() ? completedBefore : redelivered).addAll(values);
            });
            second.start();
            assertTrue(eventually(() -> redelivered.size() >= 4), "redelivered " + redelivered);
            second.stop(true);
        }
    }

    /**
     * With a write-ahead log: batches the job thread cut and batches the generator cut while the job thread hung are
     * all logged; an immediate stop during the hung job leaves the hung batch and those behind it to the restart,
     * which replays exactly their records, in order, as not completed before.
     */
    @Test
    void batchesCutOnEitherThreadAreLoggedAndReplayedAfterAStopDuringAJob(@TempDir final Path folder) throws Exception {
        final List<Long> completed = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch jobThreadLogged = new CountDownLatch(1);
        final CountDownLatch hanging = new CountDownLatch(1);
        final AtomicLong cutWhileHanging = new AtomicLong();
        final long hang;
        try (BufferAllocator allocator = new BufferAllocator()) {
            final ScriptedSource source = new ScriptedSource("numbers");
            try (StreamingContext first = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
                .checkpointFolder(folder).handOff(HandOff.CUT_ON_JOB_THREAD).build()) {
                final StreamInput input = first.input(source);
                final AtomicLong hangValue = new AtomicLong(Long.MAX_VALUE);
                first.addJob(batch -> {
                    final List<Long> values = StreamThreads.values(batch.batch(input));
                    if (values.contains(hangValue.get())) {
                        hanging.countDown();
                        new CountDownLatch(1).await();
                    }
                    completed.addAll(values);
                });
                first.addListener(new StreamingListener() {
                    @Override
                    public void onBatchSubmitted(final BatchInfo info) {
                        if (info.records() > 0 && Thread.currentThread().getName().equals(JOB_THREAD)) {
                            jobThreadLogged.countDown();
                        }
                        if (hanging.getCount() == 0) {
                            cutWhileHanging.addAndGet(info.records());
                        }
                    }
                });
                first.start();
                final long before = feedUntil(source, allocator, jobThreadLogged);
                assertTrue(eventually(() -> completed.size() == before), "completed " + completed.size() + " of " + before);
                hang = before + 1;
                hangValue.set(hang);
                source.add(ScriptedSource.block(allocator, hang));
                assertTrue(hanging.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS));
                for (long v = hang + 1; v <= hang + 3; v++) {
                    source.add(ScriptedSource.block(allocator, v));
                }
                // The job thread hangs: only the generator cuts (and logs) these three.
                assertTrue(eventually(() -> cutWhileHanging.get() == 3), "records cut while the job hung: " + cutWhileHanging.get());
            }
            final List<Long> expectedFirst = range(1, hang - 1);
            assertEquals(expectedFirst, completed);
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());

            final List<Long> redelivered = Collections.synchronizedList(new ArrayList<>());
            final List<Long> completedBefore = Collections.synchronizedList(new ArrayList<>());
            restart(folder, allocator, redelivered, completedBefore);
            assertEquals(List.of(hang, hang + 1, hang + 2, hang + 3), redelivered);
            assertTrue(expectedFirst.containsAll(completedBefore), completedBefore.toString());
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
    }
}
