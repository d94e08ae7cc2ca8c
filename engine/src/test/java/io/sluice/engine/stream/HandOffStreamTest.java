package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole stream on each hand-off: every batch once, in batch-time order, with its phases; stop joins every thread. */
class HandOffStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BATCHES = 300;
    private static final long INTERVAL = 10;

    @ParameterizedTest
    @EnumSource(HandOff.class)
    void everyBatchRunsOnceInOrderWithItsPhasesAndStopLeavesNothing(final HandOff handOff) throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final List<Long> values = Collections.synchronizedList(new ArrayList<>());
        final List<BatchInfo> infos = Collections.synchronizedList(new ArrayList<>());
        try (BufferAllocator allocator = new BufferAllocator();
             StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                 .allocator(allocator).clock(clock).handOff(handOff).build()) {
            final ScriptedSource source = new ScriptedSource("numbers");
            final StreamInput input = context.input(source);
            context.foreachBatch(input, (time, batch) -> {
                times.add(time);
                values.addAll(StreamThreads.values(batch));
            });
            context.addListener(new StreamingListener() {
                @Override
                public void onBatchCompleted(final BatchInfo info) {
                    infos.add(info);
                }
            });
            context.start();
            for (int i = 1; i <= BATCHES; i++) {
                source.add(ScriptedSource.block(allocator, i));
                // Two blocks per batch time.
                if (i % 2 == 0) {
                    clock.advanceMillis(INTERVAL);
                    assertTrue(context.awaitBatchCompleted(i / 2 * INTERVAL, WAIT));
                }
            }
            clock.advanceMillis(INTERVAL);
            assertTrue(context.awaitBatchCompleted((BATCHES / 2 + 1) * INTERVAL, WAIT));
            context.stop(true);
            assertEquals(List.of(), StreamThreads.alive());
            assertEquals(0, allocator.bytesOutstanding());
        }
        final List<Long> expectedValues = new ArrayList<>();
        for (long v = 1; v <= BATCHES; v++) {
            expectedValues.add(v);
        }
        assertEquals(expectedValues, values, "every record once, in order");
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) > times.get(i - 1), "batch times in order: " + times);
        }
        assertEquals(times.size(), infos.size());
        for (final BatchInfo info : infos) {
            assertTrue(info.succeeded());
            assertNotEquals(BatchPhases.NONE, info.phases());
            assertTrue(info.phases().cutNanos() >= 0 && info.phases().walNanos() == 0 && info.phases().handOffNanos() >= 0
                && info.phases().commitNanos() >= 0, info.phases().toString());
        }
    }
}
