package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.SimulatedWork;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackpressureTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("n", ColumnType.INT64));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();
    private final ManualStreamClock clock = new ManualStreamClock(0);

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    /**
     * Blocks of one short line in a builder sized for 1,024 (what the TCP source stores for a trickle of lines): the
     * budget used to count their 6-byte payload, not the 12 KiB each allocates, so 1 MiB of budget let 1.3 GiB be
     * allocated. It now counts the allocation: memory stays within the budget (plus the one block always admitted).
     */
    @Test
    void budgetCountsWhatBlocksAllocateNotTheirPayload() {
        final long budget = 1 << 20;
        final Schema lines = Schema.of(Field.notNull("lines", ColumnType.UTF8));
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator)
            .clock(clock).backpressure(BackpressureConfig.unlimitedRate().withBudget(budget, Long.MAX_VALUE)).build();
        final StreamInput input = context.input(new io.sluice.engine.stream.ScriptedSource("lines", lines));
        context.start();
        long stored = 0;
        long blockBytes = 0;
        while (stored < 200_000) {
            final io.sluice.memory.Batch block;
            try (io.sluice.memory.BatchBuilder builder = new io.sluice.memory.BatchBuilder(allocator, lines, 1024)) {
                block = builder.setUtf8(0, "line " + stored % 10).endRow().build();
            }
            blockBytes = block.allocatedBytes();
            if (!input.tryStore(block)) {
                block.release();
                break;
            }
            stored++;
        }
        assertTrue(stored < 200_000, "the budget refused blocks at some point: stored=" + stored);
        assertTrue(allocator.bytesOutstanding() <= budget + blockBytes, "allocated=" + allocator.bytesOutstanding()
            + " budget=" + budget + " stored blocks=" + stored);
        context.close();
        assertEquals(0, allocator.bytesOutstanding());
    }

    @Test
    void budgetBoundsHeldRecordsWhileAJobIsStuck() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final BackpressureConfig config = BackpressureConfig.unlimitedRate().withBudget(1 << 20, 1_000);
        final GeneratorSource source = GeneratorSource.builder("gen", SCHEMA).ratePerSecond(100_000).maxBlockRows(64).build();
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator)
            .clock(clock).backpressure(config).build();
        final StreamInput input = context.input(source);
        context.foreachBatch(input, (time, batch) -> release.await());
        context.start();
        for (int i = 1; i <= 20; i++) {
            clock.advanceMillis(10);
            assertTrue(context.awaitBatchGenerated(10L * i, WAIT));
        }
        assertTrue(input.lagRecords() >= 20_000 - 1_000, "input owed at the source is visible as lag");
        // The budget counts what blocks allocate: at most 1000 records in blocks of at most 64 rows, each block at
        // most one 8 KiB buffer.
        final long withinRecords = (1_000 / 64 + 2) * 8192L;
        final long held = input.heldBytes();
        assertTrue(held > 0 && held <= withinRecords, "held bytes=" + held + " within 1000 records");
        release.countDown();
        context.stop(true);
        assertTrue(input.maxHeldBytes() <= withinRecords);
        assertEquals(source.producedRecords(), context.metrics().recordsProcessed());
    }

    @Test
    void initialRateKeepsTheFirstBatchesFromOvershooting() throws Exception {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final GeneratorSource source = GeneratorSource.builder("gen", SCHEMA).ratePerSecond(100_000).build();
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).backpressure(BackpressureConfig.pid(500)).build();
        context.foreachBatch(context.input(source), (time, batch) -> sizes.add(batch.rowCount()));
        context.start();
        for (int i = 1; i <= 3; i++) {
            clock.advanceMillis(100);
            assertTrue(context.awaitBatchCompleted(100L * i, WAIT));
        }
        context.stop(false);
        assertEquals(List.of(50, 50, 50), sizes, "500 records/s x 100 ms; the PID has no processing time to go on yet");
    }

    @Test
    void overloadAtTwiceCapacityStaysBoundedAndDrainsWhenInputDrops() throws Exception {
        final double capacity = 1_000;
        final long budgetBytes = 600 * 8;
        final BackpressureConfig config = BackpressureConfig.pid(1_500).withMinRate(50).withBudget(budgetBytes, Long.MAX_VALUE);
        final GeneratorSource source = GeneratorSource.builder("gen", SCHEMA).ratePerSecond(2 * capacity).build();
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).backpressure(config).build();
        final StreamInput input = context.input(source);
        final SimulatedWork work = SimulatedWork.perRecord(clock, capacity);
        context.foreachBatch(input, work);
        context.start();
        long maxQueue = 0;
        for (int i = 0; i < 3_000; i++) {
            work.step(context, 10);
            maxQueue = Math.max(maxQueue, context.metrics().queueLength());
        }
        final long lagAtPeak = input.lagRecords();
        final double rateAtPeak = input.rateLimit();
        assertTrue(lagAtPeak > 20_000, "30 s at 2x capacity leaves a visible lag, lag=" + lagAtPeak);
        assertTrue(rateAtPeak > 0.5 * capacity && rateAtPeak < 1.5 * capacity, "PID settled near capacity, rate=" + rateAtPeak);
        assertTrue(input.maxHeldBytes() <= budgetBytes, "held bytes bounded by the budget, max=" + input.maxHeldBytes());
        assertTrue(maxQueue <= 6, "batch queue bounded, max=" + maxQueue);

        source.setRate(0.2 * capacity, clock.nanos());
        int steps = 0;
        while (input.lagRecords() > 0.2 * capacity && steps < 20_000) {
            work.step(context, 10);
            steps++;
        }
        assertTrue(input.lagRecords() <= 0.2 * capacity, "lag drained once input dropped, lag=" + input.lagRecords());
        assertTrue(input.maxHeldBytes() <= budgetBytes);
        source.setRate(0, clock.nanos());
        for (int i = 0; i < 20_000 && input.lagRecords() > 0; i++) {
            work.step(context, 10);
        }
        assertEquals(0, input.lagRecords());
        context.stop(true);
        assertEquals(source.producedRecords(), context.metrics().recordsProcessed(), "nothing lost");
    }
}
