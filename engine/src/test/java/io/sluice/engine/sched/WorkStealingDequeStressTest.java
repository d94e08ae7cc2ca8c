package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An owner pushes (and sometimes pops) N items while T thieves steal; every item must be taken exactly once.
 * N is {@code -Dsluice.stress.items}, 10M by default (about 2 s per thief count on 2 cores).
 */
class WorkStealingDequeStressTest {
    private static final int ITEMS = Integer.getInteger("sluice.stress.items", 10_000_000);

    @ParameterizedTest(name = "thieves={0}")
    @ValueSource(ints = {1, 2, 4, 8})
    void everyItemIsTakenExactlyOnce(final int thieves) throws InterruptedException {
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(16);
        final AtomicIntegerArray taken = new AtomicIntegerArray(ITEMS);
        final AtomicLong takenCount = new AtomicLong();
        final Thread[] thiefThreads = new Thread[thieves];
        for (int k = 0; k < thieves; k++) {
            thiefThreads[k] = new Thread(() -> {
                while (takenCount.get() < ITEMS) {
                    final Integer item = deque.steal();
                    if (item != null) {
                        taken.incrementAndGet(item);
                        takenCount.incrementAndGet();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "thief-" + k);
            thiefThreads[k].start();
        }
        // Bursts of pushes followed by a few pops make the owner and the thieves meet on the last elements often.
        int next = 0;
        while (next < ITEMS) {
            final int burst = Math.min(ITEMS - next, 1 + (next & 63));
            for (int i = 0; i < burst; i++) {
                deque.push(next++);
            }
            for (int i = 0; i < (next & 7); i++) {
                final Integer item = deque.pop();
                if (item == null) {
                    break;
                }
                taken.incrementAndGet(item);
                takenCount.incrementAndGet();
            }
        }
        Integer item;
        while ((item = deque.pop()) != null) {
            taken.incrementAndGet(item);
            takenCount.incrementAndGet();
        }
        for (final Thread thief : thiefThreads) {
            thief.join();
        }
        assertEquals(ITEMS, takenCount.get());
        for (int i = 0; i < ITEMS; i++) {
            if (taken.get(i) != 1) {
                assertEquals(1, taken.get(i), "item " + i + " taken " + taken.get(i) + " times");
            }
        }
    }
}
