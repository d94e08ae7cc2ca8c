package io.sluice.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.engine.sched.SchedulerListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerLaneTest {
    @Test
    void keepsTheNewestAttemptsInOrderAndCountsThem() {
        final WorkerLane lane = new WorkerLane();
        for (int i = 0; i < WorkerLane.CAPACITY + 10; i++) {
            lane.add(i / 100 + 1, i, 1, i * 10L, i * 10L + 7, i % 3 == 0 ? SchedulerListener.STOLEN | SchedulerListener.COMMITTED : 0);
        }
        // The oldest kept slot is the next one the writer overwrites: readers give it up, so CAPACITY - 1 are read.
        final long[] next = {11};
        lane.copyFrom(0, (stage, task, attempt, start, end, flags) -> {
            assertEquals(next[0], task);
            assertEquals(next[0] * 10, start);
            next[0]++;
        });
        assertEquals(WorkerLane.CAPACITY + 10, next[0]);
        assertEquals(WorkerLane.CAPACITY + 10, lane.counter(WorkerLane.ATTEMPTS));
        assertEquals(7L * (WorkerLane.CAPACITY + 10), lane.counter(WorkerLane.BUSY_NANOS));
        final long stolen = (WorkerLane.CAPACITY + 10 + 2) / 3;
        assertEquals(stolen, lane.counter(WorkerLane.STOLEN));
        assertEquals(stolen, lane.counter(WorkerLane.COMMITTED));
        assertEquals(WorkerLane.CAPACITY + 10 - stolen, lane.counter(WorkerLane.LOST));
        final int[] fromStage = {0};
        lane.copyFrom(42, (stage, task, attempt, start, end, flags) -> {
            assertTrue(stage >= 42);
            fromStage[0]++;
        });
        assertEquals(WorkerLane.CAPACITY + 10 - 4100, fromStage[0]);
    }

    /** A reader racing the writer sees only whole entries (every field of one attempt), in order, never a torn one. */
    @Test
    @Timeout(60)
    void aReaderRacingTheWriterNeverSeesATornEntry() throws Exception {
        final WorkerLane lane = new WorkerLane();
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            for (int i = 0; i < 5_000_000 && failure.get() == null; i++) {
                lane.add(i, i, i ^ 0x5A5A, 3L * i, 3L * i + 1, i & 31);
            }
            done.set(true);
        }, "lane-writer");
        writer.start();
        long reads = 0;
        long entries = 0;
        while (!done.get()) {
            final long[] last = {-1};
            final long[] seen = {0};
            try {
                lane.copyFrom(0, (stage, task, attempt, start, end, flags) -> {
                    if (task != stage || attempt != (task ^ 0x5A5A) || start != 3L * task || end != start + 1 || flags != (task & 31)
                        || task <= last[0]) {
                        throw new AssertionError("torn or out of order: stage=" + stage + " task=" + task + " attempt=" + attempt
                            + " start=" + start + " end=" + end + " flags=" + flags + " after " + last[0]);
                    }
                    last[0] = task;
                    seen[0]++;
                });
            } catch (final AssertionError ex) {
                failure.set(ex);
                break;
            }
            reads++;
            entries += seen[0];
        }
        writer.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(reads > 10, "reads=" + reads);
        assertTrue(entries > 0);
    }
}
