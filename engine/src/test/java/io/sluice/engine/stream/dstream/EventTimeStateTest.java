package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.eventtime.EventTimeWindow.tumbling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.source.GeneratorSource;

/**
 * Bounded state over an unbounded stream: a tumbling 1 s count per key over generated rows whose event time moves on
 * (with bounded disorder) holds a bounded number of (window, key) entries and a steady number of off-heap bytes.
 * {@code -Dsluice.eventTime.boundedRecords=N} sets the records (default 1M; the {@code event-time-soak} profile
 * runs 10M). Also the generator's event-time and disorder options.
 */
class EventTimeStateTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("word", ColumnType.UTF8));
    private static final int WORDS = 1000;
    private static final double RATE = 250_000;
    private static final long INTERVAL = 100;
    private static final long DISORDER = 200;
    private static final long LATENESS = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void stateRowsStayBoundedAndOffHeapBytesSteadyOverAMovingEventTime() throws Exception {
        final long records = Long.getLong("sluice.eventTime.boundedRecords", 1_000_000L);
        final int batches = (int) Math.ceil(records / (RATE * INTERVAL / 1000));
        final List<Long> bytes = new ArrayList<>();
        int maxEntries = 0;
        final AtomicLong emitted = new AtomicLong();
        final BufferAllocator allocator = new BufferAllocator();
        final ManualStreamClock clock = new ManualStreamClock(0);
        try (ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("event-time-state").workers(2).build(),
                 allocator, 2);
             StreamingContext streaming = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
                 .clock(clock).build();
             DStreamGraph graph = DStreamGraph.on(streaming, exec)) {
            final GeneratorSource source = GeneratorSource.builder("events", SCHEMA).ratePerSecond(RATE).vocabulary(WORDS)
                .eventTime("ts", 1_700_000_000_000L, RATE).disorder(DISORDER, 0.1).recordLimit(records).build();
            final WindowAggregateDStream counts = graph.stream(streaming.input(source))
                .withWatermark("ts", Duration.ofMillis(LATENESS))
                .groupByWindow(tumbling("ts", Duration.ofSeconds(1)), "word").agg(Agg.count());
            counts.foreachBatch((time, dataset) -> {
                for (final Object[] row : dataset.collect()) {
                    emitted.addAndGet((Long) row[3]);
                }
            });
            streaming.start();
            for (int b = 1; b <= batches; b++) {
                clock.advanceMillis(INTERVAL);
                assertTrue(streaming.awaitBatchCompleted(INTERVAL * b, WAIT), "batch " + b);
                maxEntries = Math.max(maxEntries, counts.stateEntries());
                bytes.add(allocator.bytesOutstanding());
            }
            assertEquals(records, source.producedRecords());
            assertEquals(0, counts.lateRecords(), "disorder " + DISORDER + " ms < lateness " + LATENESS + " ms: nothing is late");
            // Open windows: the one being filled plus the one the lateness and disorder keep open, each at most WORDS keys.
            assertTrue(maxEntries <= 2 * WORDS, "state entries peaked at " + maxEntries + ", bound " + 2 * WORDS);
            assertTrue(maxEntries >= WORDS, "state entries peaked at " + maxEntries);
            final long heldBack = (long) (RATE * (1000 + LATENESS + DISORDER + INTERVAL) / 1000);
            assertTrue(emitted.get() <= records && emitted.get() >= records - heldBack,
                "counted " + emitted.get() + " of " + records + " records; at most " + heldBack + " in open windows");
            final int third = bytes.size() / 3;
            final long middle = bytes.subList(third, 2 * third).stream().mapToLong(Long::longValue).max().orElseThrow();
            final long last = bytes.subList(2 * third, bytes.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(last <= middle, "off-heap bytes grew: max " + middle + " in the middle third, " + last + " in the last");
        } finally {
            assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes after stop");
            allocator.close();
        }
    }

    @Test
    void generatorDisorderIsBoundedSeededAndAsFrequentAsAsked() throws Exception {
        final long[] a = eventTimes(5);
        assertEquals(20_000, a.length);
        int early = 0;
        for (int i = 0; i < a.length; i++) {
            final long onTime = 1000 + (long) Math.floor(i * 1000.0 / 10_000);
            assertTrue(a[i] <= onTime && a[i] >= onTime - 50, "row " + i + " ts=" + a[i] + " on time=" + onTime);
            early += a[i] < onTime ? 1 : 0;
        }
        // p = 0.2, and an early row is 0 ms early with probability 1/51: about 3,920 of 20,000.
        assertTrue(early > 3_500 && early < 4_350, "early rows " + early);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(eventTimes(5)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(eventTimes(6)));
    }

    private static long[] eventTimes(final long seed) throws Exception {
        final Schema schema = Schema.of(Field.notNull("ts", ColumnType.INT64));
        final List<Long> out = new ArrayList<>();
        try (BufferAllocator allocator = new BufferAllocator()) {
            final ManualStreamClock clock = new ManualStreamClock(0);
            try (StreamingContext streaming = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
                .allocator(allocator).clock(clock).build()) {
                final GeneratorSource source = GeneratorSource.builder("g", schema).ratePerSecond(10_000).seed(seed).maxBlockRows(777)
                    .eventTime("ts", 1000, 10_000).disorder(50, 0.2).build();
                streaming.foreachBatch(streaming.input(source), (time, batch) -> {
                    final Int64Vector ts = batch.int64Vector(0);
                    for (int r = 0; r < batch.rowCount(); r++) {
                        out.add(ts.get(r));
                    }
                });
                streaming.start();
                for (int b = 1; b <= 20; b++) {
                    clock.advanceMillis(INTERVAL);
                    assertTrue(streaming.awaitBatchCompleted(INTERVAL * b, WAIT));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
