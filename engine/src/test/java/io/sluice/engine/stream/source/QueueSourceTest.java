package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sluice.engine.stream.Collector;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamClock;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.source.QueueSource.Offer;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueSourceTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("id", ColumnType.INT64), Field.nullable("name", ColumnType.UTF8));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    @Test
    void fullQueuePushesBackWithAReturnValueOrAfterTheTimeout() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(Offer.ACCEPTED, source.offerRow((long) i, "x"));
        }
        assertEquals(Offer.BACK_PRESSURED, source.offerRow(5L, "x"));
        assertEquals(Offer.BACK_PRESSURED, source.putRow(Duration.ofMillis(5), 5L, "x"));
        assertEquals(4, source.pendingRecords());
        source.stop();
        assertEquals(Offer.CLOSED, source.offerRow(6L, "x"));
        source.close();
    }

    @Test
    void rowsThatDoNotFitTheSchemaAreRejectedAndCounted() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 16);
        assertEquals(Offer.REJECTED, source.offerRow(1L));
        assertEquals(Offer.REJECTED, source.offerRow("1", "x"));
        assertEquals(Offer.REJECTED, source.offerRow(null, "x"));
        assertEquals(Offer.REJECTED, source.offerRow(1L, new byte[] {(byte) 0xC3, (byte) 0x28}));
        assertEquals(Offer.ACCEPTED, source.offerRow(1, null));
        assertEquals(Offer.ACCEPTED, source.offerRow(2L, "ok".getBytes(StandardCharsets.UTF_8)));
        try (Batch wrong = ScriptedSource.block(allocator, 1, 2, 3)) {
            assertEquals(Offer.REJECTED, source.offerBatch(wrong));
        }
        assertEquals(7, source.rejectedRecords());
        source.close();
    }

    @Test
    void rowsAndBatchesFromManyThreadsArriveExactlyOnceInProducerOrder() throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final QueueSource source = QueueSource.create("q", SCHEMA, 64);
        final Collector collector = new Collector();
        final int producers = 4;
        final int perProducer = 2_000;
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator)
            .clock(clock).build();
        context.foreachBatch(context.input(source), collector);
        context.start();
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final long base = p * 1_000_000L;
            final Thread thread = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    final Offer offer = i % 100 == 0 ? putBatch(source, base + i) : source.putRow(WAIT, base + i, "r" + i);
                    if (offer != Offer.ACCEPTED) {
                        throw new IllegalStateException("offer=" + offer + " at i=" + i);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        long time = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            time += 10;
            clock.advanceMillis(10);
            assertTrue(context.awaitBatchCompleted(time, WAIT));
        }
        context.stop(true);
        final List<String> ids = collector.all();
        assertEquals(producers * perProducer, ids.size());
        assertEquals(producers * perProducer, new TreeSet<>(ids).size());
        final long[] last = new long[producers];
        java.util.Arrays.fill(last, -1);
        for (final String id : ids) {
            final long value = Long.parseLong(id);
            final int producer = (int) (value / 1_000_000L);
            assertTrue(value % 1_000_000L > last[producer], "producer order kept");
            last[producer] = value % 1_000_000L;
        }
        assertEquals(0, source.rejectedRecords());
    }

    private Offer putBatch(final QueueSource source, final long id) {
        final Batch batch;
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 1)) {
            batch = builder.setInt64(0, id).setNull(1).endRow().build();
        }
        final Offer offer = source.putBatch(WAIT, batch);
        if (offer != Offer.ACCEPTED) {
            batch.release();
        }
        return offer;
    }

    /**
     * The bound used to count elements, a 1,024-row batch as one: producers of batches filled direct memory. Queued
     * batches are now bounded by what they allocated, and pending counts their rows.
     */
    @Test
    void queuedBatchesAreBoundedByTheBytesTheyAllocated() {
        final QueueSource source = QueueSource.create("q", ScriptedSource.SCHEMA, 1 << 16, 1 << 20);
        final long[] values = new long[1024];
        final int accepted = offerUntilPushedBack(source, values);
        assertTrue(allocator.bytesOutstanding() <= 1 << 20, "queued bytes=" + allocator.bytesOutstanding());
        assertEquals(accepted * 1024L, source.pendingRecords());
        source.close();
        assertEquals(0, source.pendingRecords());
    }

    /**
     * Finding 4's remainder: batches queued here used to sit outside the stream's budget (bounded only by the queue's
     * own 64 MB), so a 1 MB stream budget held 1 MB in the stream plus 64 MB in the queue. Now one budget bounds
     * both: with the job holding its batch, producers are pushed back once stream and queue together reach it.
     */
    @Test
    void queuedBatchesCountAgainstTheStreamsMemoryBudget() throws Exception {
        final long budget = 1 << 20;
        final ManualStreamClock clock = new ManualStreamClock(0);
        final QueueSource source = QueueSource.create("q", ScriptedSource.SCHEMA, 1 << 16);
        final CountDownLatch inJob = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator).clock(clock)
            .backpressure(BackpressureConfig.unlimitedRate().withBudget(budget, Long.MAX_VALUE)).build();
        context.input(source);
        context.addJob(batch -> {
            inJob.countDown();
            release.await();
        });
        context.start();
        final long[] values = new long[1024];
        final Batch first = ScriptedSource.block(allocator, values);
        final long batchBytes = first.allocatedBytes();
        assertEquals(Offer.ACCEPTED, source.putBatch(WAIT, first));
        clock.advanceMillis(10);
        assertTrue(inJob.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first batch reached the job");
        final int accepted = offerUntilPushedBack(source, values);
        assertTrue(allocator.bytesOutstanding() <= budget + batchBytes, "outstanding=" + allocator.bytesOutstanding() + " budget="
            + budget + " batch=" + batchBytes + " accepted=" + accepted);
        release.countDown();
        context.stop(false);
        context.close();
    }

    @Test
    void closeReleasesQueuedBatches() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        final Batch batch;
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 1)) {
            batch = builder.setInt64(0, 1).setUtf8(1, "a").endRow().build();
        }
        assertEquals(Offer.ACCEPTED, source.offerBatch(batch));
        assertTrue(allocator.bytesOutstanding() > 0);
        source.stop();
        source.close();
        assertEquals(0, allocator.bytesOutstanding());
    }

    @Test
    void aBatchWhoseStoreThrowsIsKeptForTheNextPollAndReleasedOnClose() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        assertEquals(Offer.ACCEPTED, source.offerBatch(twoRows()));
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> source.poll(new ThrowingStoreContext(allocator), 0));
        assertEquals("injected store failure", thrown.getMessage());
        assertEquals(2, source.pendingRecords());
        final PollingContext polling = new PollingContext(allocator, false);
        source.poll(polling, 0);
        assertEquals(2, polling.storedRows());
        assertEquals(3, polling.lastSum());
        assertEquals(0, source.pendingRecords());

        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 1)) {
            assertEquals(Offer.ACCEPTED, source.offerBatch(builder.setInt64(0, 7).setUtf8(1, "c").endRow().build()));
        }
        assertThrows(IllegalStateException.class, () -> source.poll(new ThrowingStoreContext(allocator), 0));
        source.stop();
        source.close();
        assertEquals(0, allocator.bytesOutstanding());
    }

    @Test
    void aBlockOfRowsWhoseStoreThrowsIsKeptForTheNextPollAndReleasedOnClose() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        assertEquals(Offer.ACCEPTED, source.offerRow(5L, "x"));
        assertEquals(Offer.ACCEPTED, source.offerRow(6L, null));
        assertThrows(IllegalStateException.class, () -> source.poll(new ThrowingStoreContext(allocator), 0));
        assertEquals(2, source.pendingRecords());
        final PollingContext polling = new PollingContext(allocator, false);
        source.poll(polling, 0);
        assertEquals(2, polling.storedRows());
        assertEquals(11, polling.lastSum());

        assertEquals(Offer.ACCEPTED, source.offerRow(8L, "y"));
        assertThrows(IllegalStateException.class, () -> source.poll(new ThrowingStoreContext(allocator), 0));
        assertTrue(allocator.bytesOutstanding() > 0);
        source.stop();
        source.close();
        assertEquals(0, allocator.bytesOutstanding());
    }

    @Test
    void closeWaitingForAProducerMidOfferParksInsteadOfSpinning() throws Exception {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        source.start(new ThrowingStoreContext(allocator, () -> {
            inside.countDown();
            awaitUninterruptibly(letGo);
        }));
        assertEquals(Offer.ACCEPTED, source.offerBatch(twoRows()));
        final Offer[] offered = new Offer[1];
        // The second offer asks the stream's budget (one batch is queued) and stays inside offer until let go.
        final Thread producer = new Thread(() -> offered[0] = source.offerBatch(twoRows()), "producer");
        producer.start();
        assertTrue(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        final Thread closer = new Thread(source::close, "closer");
        closer.start();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        Thread.State state = closer.getState();
        while (state != Thread.State.TIMED_WAITING && state != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            state = closer.getState();
        }
        letGo.countDown();
        producer.join(WAIT.toMillis());
        closer.join(WAIT.toMillis());
        assertTrue(state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING,
            "close() never parked while a producer was inside an offer: state=" + state);
        assertEquals(Offer.ACCEPTED, offered[0], "the producer got in before close; close released its batch");
        assertEquals(0, allocator.bytesOutstanding());
    }

    private Batch twoRows() {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 2)) {
            return builder.setInt64(0, 1).setUtf8(1, "a").endRow().setInt64(0, 2).setUtf8(1, "b").endRow().build();
        }
    }

    private static void awaitUninterruptibly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A context whose stores throw without taking the block (as a failing schema check or rate limiter would), and
     * whose budget query runs {@code onBudgetRoom} first.
     */
    private static final class ThrowingStoreContext implements SourceContext {
        private final PollingContext delegate;
        private final Runnable onBudgetRoom;

        ThrowingStoreContext(final BufferAllocator allocator) {
            this(allocator, () -> { });
        }

        ThrowingStoreContext(final BufferAllocator allocator, final Runnable onBudgetRoom) {
            this.delegate = new PollingContext(allocator, false);
            this.onBudgetRoom = onBudgetRoom;
        }

        @Override
        public BufferAllocator allocator() {
            return delegate.allocator();
        }

        @Override
        public StreamClock clock() {
            return delegate.clock();
        }

        @Override
        public long recordAllowance() {
            return delegate.recordAllowance();
        }

        @Override
        public boolean tryStore(final Batch block) {
            throw new IllegalStateException("injected store failure");
        }

        @Override
        public boolean store(final Batch block) {
            return tryStore(block);
        }

        @Override
        public long budgetRoomBytes() {
            onBudgetRoom.run();
            return delegate.budgetRoomBytes();
        }

        @Override
        public boolean isStopping() {
            return false;
        }

        @Override
        public void reportError(final String what, final Throwable error) {
            delegate.reportError(what, error);
        }

        @Override
        public void fail(final Throwable error) {
            delegate.fail(error);
        }
    }

    /** Offers 1,024-row batches of {@code values} until the source pushes back (at most 10,000); returns how many it took. */
    private int offerUntilPushedBack(final QueueSource source, final long[] values) {
        int accepted = 0;
        Offer offer = Offer.ACCEPTED;
        while (offer == Offer.ACCEPTED && accepted < 10_000) {
            final Batch batch = ScriptedSource.block(allocator, values);
            offer = source.offerBatch(batch);
            if (offer == Offer.ACCEPTED) {
                accepted++;
            } else {
                batch.release();
            }
        }
        assertEquals(Offer.BACK_PRESSURED, offer, "accepted=" + accepted);
        return accepted;
    }
}
