package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A scan racing the last release on another thread. The allocator pools nothing, so a release frees the memory at
 * once, and 64 MiB columns are above malloc's largest mmap threshold, so the free unmaps them: a scan that kept
 * reading after it would crash the JVM (SIGSEGV). With bounds checks
 * on (as in every test), a scan holds a reference: it finishes on live memory or throws IllegalStateException.
 */
class ScanReleaseRaceTest {
    private static final int ROWS = 1 << 23;
    private static final int ROUNDS = 16;

    @Test
    void sumRacingTheLastReleaseFinishesOrThrowsButNeverReadsFreedMemory() throws InterruptedException {
        assertTrue(BoundsChecks.ENABLED, "tests run with bounds checks on");
        final long[] values = new long[ROWS];
        long expected = 0;
        for (int i = 0; i < ROWS; i++) {
            values[i] = i * 3L + 1;
            expected += values[i];
        }
        int finished = 0;
        int refused = 0;
        try (BufferAllocator allocator = new BufferAllocator(Long.MAX_VALUE, 0)) {
            for (int round = 0; round < ROUNDS; round++) {
                final Batch batch;
                try (BatchBuilder builder = new BatchBuilder(allocator, Schema.of(Field.notNull("v", ColumnType.INT64)), ROWS)) {
                    batch = builder.appendInt64Column(0, values).build();
                }
                final Int64Vector vector = batch.int64Vector(0);
                final CountDownLatch go = new CountDownLatch(1);
                final AtomicReference<Object> outcome = new AtomicReference<>();
                final Thread scanner = new Thread(() -> {
                    try {
                        go.await();
                        outcome.set(vector.sum());
                    } catch (final Throwable ex) {
                        outcome.set(ex);
                    }
                }, "scan-" + round);
                scanner.start();
                go.countDown();
                // Vary the moment of the release across rounds: before, during and after the scan.
                for (int spin = 0; spin < round * 20_000; spin++) {
                    Thread.onSpinWait();
                }
                batch.release();
                scanner.join();
                final Object result = outcome.get();
                if (result instanceof Long) {
                    assertEquals(expected, (long) (Long) result, "a finished scan read only live memory");
                    finished++;
                } else {
                    assertTrue(result instanceof IllegalStateException, "refused, not crashed: " + result);
                    assertTrue(((Throwable) result).getMessage().contains("after release"), String.valueOf(result));
                    refused++;
                }
                assertEquals(0, allocator.bytesOutstanding(), "the scan's reference was dropped");
            }
        }
        assertEquals(ROUNDS, finished + refused);
    }

    @Test
    void sumOfAReleasedBatchThrows() {
        try (BufferAllocator allocator = new BufferAllocator()) {
            final Batch batch;
            try (BatchBuilder builder = new BatchBuilder(allocator, Schema.of(Field.notNull("v", ColumnType.INT64)))) {
                batch = builder.setInt64(0, 5).endRow().build();
            }
            final Int64Vector vector = batch.int64Vector(0);
            assertEquals(5, vector.sum());
            batch.release();
            assertThrows(IllegalStateException.class, vector::sum);
        }
    }
}
