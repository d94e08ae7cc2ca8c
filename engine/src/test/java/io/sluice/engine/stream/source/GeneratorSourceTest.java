package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.sluice.engine.stream.Collector;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64),
        Field.notNull("x", ColumnType.FLOAT64), Field.notNull("b", ColumnType.BOOLEAN), Field.notNull("i", ColumnType.INT32));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void noLeaks() {
        allocator.close();
    }

    private Collector run(final long seed, final int blockRows, final int batches) throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Collector collector = new Collector();
        try (StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).build()) {
            final GeneratorSource source = GeneratorSource.builder("gen", SCHEMA).ratePerSecond(1000).seed(seed)
                .maxBlockRows(blockRows).vocabulary(50).build();
            context.foreachBatch(context.input(source), collector);
            context.start();
            for (int b = 1; b <= batches; b++) {
                clock.advanceMillis(100);
                assertTrue(context.awaitBatchCompleted(100L * b, WAIT));
            }
            assertEquals(100L * batches, source.producedRecords());
            assertEquals(0, source.pendingRecords());
        }
        return collector;
    }

    @Test
    void producesRateTimesIntervalRecordsPerBatch() throws Exception {
        final Collector collector = run(7, 1 << 16, 3);
        assertEquals(List.of(100L, 200L, 300L), collector.times());
        for (final List<String> batch : collector.batches()) {
            assertEquals(100, batch.size());
            assertTrue(batch.stream().allMatch(word -> word.matches("w[0-9]+") && Integer.parseInt(word.substring(1)) < 50));
        }
    }

    @Test
    void valuesDependOnSeedAndRowIndexNotOnBlocks() throws Exception {
        final List<String> whole = run(7, 1 << 16, 2).all();
        assertEquals(whole, run(7, 7, 2).all());
        assertNotEquals(whole, run(8, 1 << 16, 2).all());
    }

    @Test
    void builderRequiresAFiniteNonNegativeRate() {
        assertThrows(IllegalStateException.class, () -> GeneratorSource.builder("g", SCHEMA).build());
        assertThrows(IllegalArgumentException.class, () -> GeneratorSource.builder("g", SCHEMA).ratePerSecond(-1));
        assertThrows(IllegalArgumentException.class, () -> GeneratorSource.builder("g", SCHEMA).ratePerSecond(Double.POSITIVE_INFINITY));
    }
}
