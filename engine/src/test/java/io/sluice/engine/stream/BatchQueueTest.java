package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.sluice.memory.Batch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both hand-offs between the job generator and the job executor: nothing lost, nothing reordered, no lost wake-up. */
class BatchQueueTest {
    private static final int PRODUCERS = 2;
    private static final int PER_PRODUCER = 20_000;
    private static final long SAFETY_NET_SECONDS = 60;

    private static MicroBatch batch(final long time) {
        return new MicroBatch(time, List.of(), new Batch[0], new long[0], false);
    }

    /** Starts {@code body} as the consumer thread of {@code thread}; returns a latch counted down when it ends. */
    private static CountDownLatch consume(final OwnThread thread, final Runnable body) {
        final CountDownLatch done = new CountDownLatch(1);
        thread.start(() -> {
            try {
                body.run();
            } finally {
                done.countDown();
            }
        }, error -> { });
        return done;
    }

    @ParameterizedTest
    @EnumSource(HandOff.class)
    void everyBatchOfEveryProducerArrivesOnceAndInTheOrderItWasPut(final HandOff handOff) throws Exception {
        final OwnThread consumer = new OwnThread("sluice-test-consumer");
        final BatchQueue queue = handOff.newQueue(consumer);
        final List<Long> taken = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = consume(consumer, () -> {
            try {
                for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++) {
                    taken.add(queue.take().batchTimeMillis());
                }
            } catch (final InterruptedException | RuntimeException ex) {
                failure.set(ex);
            }
        });
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final long base = p * 1_000_000L;
            final Thread producer = new Thread(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    queue.put(batch(base + i));
                    if (i % 1_000 == 0) {
                        // Now and then a pause long enough for the consumer to run dry and park.
                        LockSupport.parkNanos(200_000);
                    }
                }
            }, "sluice-test-producer-" + p);
            producers.add(producer);
            producer.start();
        }
        for (final Thread producer : producers) {
            producer.join();
        }
        assertTrue(done.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "the consumer took every batch");
        consumer.join();
        assertNull(failure.get());
        assertEquals(PRODUCERS * PER_PRODUCER, taken.size());
        final long[] next = new long[PRODUCERS];
        for (final long time : taken) {
            final int p = (int) (time / 1_000_000L);
            assertEquals(next[p], time % 1_000_000L, "producer " + p + "'s batches in order, none lost or repeated");
            next[p]++;
        }
        final List<MicroBatch> left = new ArrayList<>();
        queue.drainTo(left);
        assertEquals(List.of(), left);
    }

    @ParameterizedTest
    @EnumSource(HandOff.class)
    void aBatchPutWhileTheConsumerIsParkedWakesIt(final HandOff handOff) throws Exception {
        final OwnThread consumer = new OwnThread("sluice-test-consumer");
        final BatchQueue queue = handOff.newQueue(consumer);
        final AtomicReference<MicroBatch> taken = new AtomicReference<>();
        final AtomicReference<Thread> self = new AtomicReference<>();
        final CountDownLatch done = consume(consumer, () -> {
            self.set(Thread.currentThread());
            try {
                taken.set(queue.take());
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_NET_SECONDS);
        while ((self.get() == null || self.get().getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, self.get().getState(), "the empty queue parked the consumer");
        final MicroBatch put = batch(42);
        queue.put(put);
        assertTrue(done.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "the put woke the consumer");
        assertSame(put, taken.get());
        consumer.join();
    }

    @ParameterizedTest
    @EnumSource(HandOff.class)
    void anInterruptEndsTheWaitOnAnEmptyQueue(final HandOff handOff) throws Exception {
        final OwnThread consumer = new OwnThread("sluice-test-consumer");
        final BatchQueue queue = handOff.newQueue(consumer);
        final AtomicReference<Throwable> ended = new AtomicReference<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch done = consume(consumer, () -> {
            entered.countDown();
            try {
                queue.take();
            } catch (final InterruptedException ex) {
                ended.set(ex);
            }
        });
        entered.await();
        consumer.allowInterrupt();
        consumer.interruptIfAllowed();
        assertTrue(done.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "the interrupt ended the wait");
        assertInstanceOf(InterruptedException.class, ended.get());
        consumer.join();
    }
}
