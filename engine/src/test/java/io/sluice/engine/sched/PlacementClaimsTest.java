package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How workers claim the first attempts of a published stage, per policy. */
@Timeout(60)
class PlacementClaimsTest {
    @Test
    void staticGivesWorkerWExactlyTheTasksCongruentToWModuloWAndNothingToSteal() {
        final Placement.Claims claims = SchedulingPolicy.STATIC.create(4, 1, 1).newClaims(23);
        for (int w = 0; w < 4; w++) {
            for (int i = w; i < 23; i += 4) {
                assertEquals(i, claims.nextOwn(w, 16));
            }
            assertEquals(-1, claims.nextOwn(w, 16));
            assertEquals(-1, claims.steal(w));
        }
    }

    @Test
    void centralQueueHandsOutIndicesInOrderInChunksOfAtMostMax() {
        final Placement.Claims claims = SchedulingPolicy.CENTRAL_QUEUE.create(2, 1, 1).newClaims(10);
        assertEquals(0, claims.nextOwn(0, 1));
        assertEquals(1, claims.nextOwn(1, 4));
        assertEquals(5, claims.nextOwn(0, 1));
        assertEquals(2, claims.nextOwn(1, 4));
        assertEquals(-1, claims.steal(0));
    }

    @Test
    void workStealingOwnerTakesItsBlockFrontAndAThiefTakesTheUpperHalfOfAVictimsRest() {
        final Placement.Claims claims = SchedulingPolicy.WORK_STEALING.create(2, 1, 3).newClaims(20);
        assertEquals(0, claims.nextOwn(0, 1));
        // Worker 1 empties its block [10, 20), then steals the upper half of worker 0's rest [1, 10).
        for (int i = 10; i < 20; i++) {
            assertEquals(i, claims.nextOwn(1, 3));
        }
        assertEquals(-1, claims.nextOwn(1, 3));
        assertEquals(6, claims.steal(1));
        assertEquals(7, claims.nextOwn(1, 1));
        assertEquals(1, claims.nextOwn(0, 1));
    }

    @Test
    void everyIndexIsClaimedExactlyOnceByConcurrentWorkersUnderEveryPolicy() throws InterruptedException {
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            for (long seed = 1; seed <= 20; seed++) {
                final int tasks = 5_000 + (int) seed * 37;
                final int workers = 1 + (int) (seed % 6);
                final Placement.Claims claims = policy.create(workers, 1, seed).newClaims(tasks);
                final AtomicIntegerArray taken = new AtomicIntegerArray(tasks);
                final CountDownLatch start = new CountDownLatch(1);
                final List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    final int me = w;
                    final int max = 1 + (int) ((seed + w) % 16);
                    final Thread t = new Thread(() -> {
                        try {
                            start.await();
                        } catch (final InterruptedException ex) {
                            return;
                        }
                        while (true) {
                            int i = claims.nextOwn(me, max);
                            if (i < 0) {
                                i = claims.steal(me);
                            }
                            if (i < 0) {
                                return;
                            }
                            taken.incrementAndGet(i);
                        }
                    });
                    threads.add(t);
                    t.start();
                }
                start.countDown();
                for (final Thread t : threads) {
                    t.join();
                }
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, taken.get(i), policy + " seed " + seed + " W=" + workers + " index " + i);
                }
            }
        }
    }
}
