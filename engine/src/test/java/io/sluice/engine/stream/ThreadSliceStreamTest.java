package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.os.LatencyThreadsTest;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamingContext.Builder#threadSlice}: a context with a custom slice runs and stops with no thread left;
 * where the kernel supports custom slices its generator and job threads run with the slice; bad values are rejected.
 */
class ThreadSliceStreamTest {
    private static final long SAFETY_NET_SECONDS = 60;
    private static final Duration SLICE = Duration.ofNanos(LatencyThreads.MIN_SLICE_NANOS);

    @Test
    void aContextWithASliceRunsItsThreadsWithItAndStopsWithNoThreadLeft() throws Exception {
        final int blocks = 5;
        // thread name -> the slice the kernel reported on that thread while it ran a batch event
        final Map<String, Long> slices = new ConcurrentHashMap<>();
        final CountDownLatch processed = new CountDownLatch(blocks);
        try (BufferAllocator allocator = new BufferAllocator();
             StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(2)).allocator(allocator)
                 .threadSlice(SLICE).build()) {
            final ScriptedSource source = new ScriptedSource("numbers");
            final StreamInput input = context.input(source);
            context.foreachBatch(input, (time, batch) -> {
                slices.put(Thread.currentThread().getName(), LatencyThreads.currentSliceNanos());
                for (int i = 0; i < batch.rowCount(); i++) {
                    processed.countDown();
                }
            });
            context.addListener(new StreamingListener() {
                @Override
                public void onBatchSubmitted(final BatchInfo info) {
                    slices.put(Thread.currentThread().getName(), LatencyThreads.currentSliceNanos());
                }
            });
            context.start();
            for (int i = 1; i <= blocks; i++) {
                source.add(ScriptedSource.block(allocator, i));
            }
            assertTrue(processed.await(SAFETY_NET_SECONDS, TimeUnit.SECONDS), "every record processed");
            context.stop(true);
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
        assertTrue(slices.containsKey("sluice-stream-generator") && slices.containsKey("sluice-stream-jobs"), slices.toString());
        if (LatencyThreadsTest.customSlicesSupported()) {
            assertEquals(Map.of("sluice-stream-generator", SLICE.toNanos(), "sluice-stream-jobs", SLICE.toNanos()), slices);
        } else {
            assertFalse(slices.containsValue(SLICE.toNanos()), "no kernel slice where unsupported: " + slices);
        }
    }

    @Test
    void slicesOutsideTheKernelsRangeAreRejected() {
        final StreamingContext.Builder builder = StreamingContext.builder();
        for (final Duration bad : new Duration[] {Duration.ofNanos(-1), Duration.ofNanos(99_999), Duration.ofMillis(101)}) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> builder.threadSlice(bad));
            assertTrue(ex.getMessage().startsWith("thread slice=" + bad.toNanos() + "ns"), ex.getMessage());
        }
        builder.threadSlice(Duration.ZERO).threadSlice(Duration.ofMillis(100));
    }
}
