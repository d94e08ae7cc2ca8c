package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.StreamHarness.rows;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.EVENTS;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.sluice.engine.stream.StreamHarness;
import org.junit.jupiter.api.Test;

/** Windows and reduceByKeyAndWindow against hand-computed sequences (interval 100 ms, manual clock). */
class WindowTest {
    private static final Duration MS100 = Duration.ofMillis(100);
    private static final Duration MS200 = Duration.ofMillis(200);
    private static final Duration MS300 = Duration.ofMillis(300);

    /** 8 batch times: 100 {a=1,a=2,b=5}, 200 {}, 300 {b=-5,c=3}, 400 {}, 500 {c=4}, 600..800 {}. */
    private static final List<List<Object[]>> SCRIPT = List.of(
        rows(new Object[] {"a", 1L}, new Object[] {"a", 2L}, new Object[] {"b", 5L}),
        rows(),
        rows(new Object[] {"b", -5L}, new Object[] {"c", 3L}),
        rows(),
        rows(new Object[] {"c", 4L}),
        rows(), rows(), rows());

    private static void run(final StreamHarness h) throws InterruptedException {
        h.start();
        for (final List<Object[]> batch : SCRIPT) {
            h.batch(batch);
        }
    }

    static List<List<String>> perBatch(final MemorySink sink) {
        final List<List<String>> out = new ArrayList<>();
        for (final MemorySink.BatchRows b : sink.snapshot()) {
            out.add(sorted(b.rows()));
        }
        return out;
    }

    @Test
    void windowedCountsFollowTheHandComputedSequence() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final MemorySink everyBatch = events.window(MS300, MS100).countByKey("k").collectToMemory();
            final MemorySink everyOther = events.window(MS300, MS200).countByKey("k").collectToMemory();
            run(h);
            assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L), everyBatch.batchTimes());
            assertEquals(List.of(
                List.of("a|2", "b|1"),
                List.of("a|2", "b|1"),
                List.of("a|2", "b|2", "c|1"),
                List.of("b|1", "c|1"),          // a left the window
                List.of("b|1", "c|2"),
                List.of("c|1"),
                List.of("c|1"),
                List.of()), perBatch(everyBatch));
            assertEquals(List.of(200L, 400L, 600L, 800L), everyOther.batchTimes());
            assertEquals(List.of(List.of("a|2", "b|1"), List.of("b|1", "c|1"), List.of("c|1"), List.of()), perBatch(everyOther));
        }
    }

    @Test
    void reduceByKeyAndWindowWithInverseFollowsTheHandComputedSequence() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final DStream incremental = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, MS300, MS100);
            final MemorySink inc = incremental.collectToMemory();
            final MemorySink plain = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), MS300, MS100).collectToMemory();
            final MemorySink nonZero = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, MS300, MS100,
                v -> v != 0).collectToMemory();
            final MemorySink slide200 = events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, MS300, MS200)
                .collectToMemory();
            run(h);
            final List<List<String>> expected = List.of(
                List.of("a|3", "b|5"),
                List.of("a|3", "b|5"),
                List.of("a|3", "b|0", "c|3"),   // b sums to 0 but still has 2 values in the window
                List.of("b|-5", "c|3"),         // a disappears, b=5 left
                List.of("b|-5", "c|7"),
                List.of("c|4"),                 // b disappears
                List.of("c|4"),
                List.of());                     // c disappears: empty window
            assertEquals(expected, perBatch(inc));
            assertEquals(expected, perBatch(plain));
            assertEquals(List.of(List.of("a|3", "b|5"), List.of("a|3", "b|5"), List.of("a|3", "c|3"), List.of("b|-5", "c|3"),
                List.of("b|-5", "c|7"), List.of("c|4"), List.of("c|4"), List.of()), perBatch(nonZero));
            assertEquals(List.of(List.of("a|3", "b|5"), List.of("b|-5", "c|3"), List.of("c|4"), List.of()), perBatch(slide200));
            assertEquals(0, ((IncrementalWindowDStream) incremental).windowKeys(), "every key left the window");
        }
    }

    @Test
    void incrementalWindowEqualsPlainWindowOverRandomInput() throws Exception {
        for (final long seed : new long[] {1, 2, 3, 4}) {
            final Random random = new Random(seed);
            final Duration length = Duration.ofMillis(100L * (1 + random.nextInt(5)));
            final Duration slide = Duration.ofMillis(100L * (1 + random.nextInt((int) (length.toMillis() / 100))));
            try (StreamHarness h = new StreamHarness(2, 1 + random.nextInt(4))) {
                final DStream events = h.input("events", EVENTS);
                final List<MemorySink[]> pairs = new ArrayList<>();
                for (final Reducer reducer : List.of(Reducer.sum("v"), Reducer.count(), Reducer.of("v", (a, b) -> a ^ b))) {
                    pairs.add(new MemorySink[] {
                        events.reduceByKeyAndWindow(List.of("k"), reducer, length, slide).collectToMemory(),
                        events.reduceByKeyAndWindow(List.of("k"), reducer, reducer.kind() == Reducer.Kind.CUSTOM
                            ? (a, b) -> a ^ b : (a, b) -> a - b, length, slide).collectToMemory()});
                }
                h.start();
                for (int b = 0; b < 12; b++) {
                    h.batch(random.nextInt(4) == 0 ? rows() : DStreamOperatorsTest.events(random, random.nextInt(60), 6));
                }
                for (final MemorySink[] pair : pairs) {
                    assertTrue(pair[0].snapshot().size() >= 12 / (slide.toMillis() / 100), "outputs: " + pair[0].batchTimes());
                    assertEquals(pair[0].batchTimes(), pair[1].batchTimes(), "seed=" + seed);
                    assertEquals(perBatch(pair[0]), perBatch(pair[1]), "seed=" + seed + " length=" + length + " slide=" + slide);
                }
            }
        }
    }

    @Test
    void windowLengthOrSlideNotAMultipleOfTheIntervalIsRejectedNamingBoth() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> events.window(Duration.ofMillis(150), MS100));
            assertTrue(length.getMessage().contains("window length=150ms") && length.getMessage().contains("batch interval=100ms"),
                length.getMessage());
            final IllegalArgumentException slide = assertThrows(IllegalArgumentException.class,
                () -> events.reduceByKeyAndWindow(List.of("k"), Reducer.count(), (a, b) -> a - b, MS300, Duration.ZERO));
            assertTrue(slide.getMessage().contains("window slide=0ms"), slide.getMessage());
            final IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> events.window(MS300, MS200).window(MS300, MS300));
            assertTrue(nested.getMessage().contains("slide=200ms"), nested.getMessage());
        }
    }

    @Test
    void immediateStopWithQueuedBatchesAndABlockedJobLeavesNothingBehind() throws Exception {
        final java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        final StreamHarness h = new StreamHarness();
        final DStream events = h.input("events", EVENTS);
        events.window(MS300, MS100).countByKey("k").collectToMemory();
        events.foreachBatch((t, d) -> {
            if (t == 200) {
                blocked.countDown();
                new java.util.concurrent.CountDownLatch(1).await();   // until the immediate stop interrupts it
            }
        });
        h.start();
        h.batch(rows(new Object[] {"a", 1L}));
        h.clock.setMillis(500);
        blocked.await();
        h.graph.stop(false);
        h.close();  // asserts zero off-heap bytes and no sluice thread
    }

    @Test
    void stopReleasesWhatWindowsStillHold() throws Exception {
        final StreamHarness h = new StreamHarness();
        final DStream events = h.input("events", EVENTS);
        final DStream window = events.window(Duration.ofMillis(500), MS100);
        final MemorySink sink = window.collectToMemory();
        h.start();
        h.batch(rows(new Object[] {"a", 1L}));
        h.batch(rows(new Object[] {"b", 2L}));
        assertEquals(2, ((WindowedDStream) window).keptBatchTimes());
        assertTrue(h.allocator.bytesOutstanding() > 0, "the window holds its batches between batch times");
        h.close();  // asserts zero off-heap bytes and no sluice thread
        assertEquals(0, ((WindowedDStream) window).keptBatchTimes());
        assertEquals(List.of("a|1", "b|2"), sorted(sink.snapshot().get(1).rows()));
    }

    @Test
    void stoppingOnlyTheStreamingContextAlsoReleasesWhatWindowsHold() throws Exception {
        final StreamHarness h = new StreamHarness();
        final DStream window = h.input("events", EVENTS).window(Duration.ofMillis(500), MS100);
        window.collectToMemory();
        h.start();
        h.batch(rows(new Object[] {"a", 1L}));
        assertEquals(1, ((WindowedDStream) window).keptBatchTimes());
        h.streaming.stop(true);     // the graph's stop hook runs inside the context's stop
        assertEquals(0, ((WindowedDStream) window).keptBatchTimes());
        h.close();  // asserts zero off-heap bytes and no sluice thread
    }
}
