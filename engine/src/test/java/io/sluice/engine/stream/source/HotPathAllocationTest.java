package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntConsumer;

import io.sluice.engine.stream.source.QueueSource.Offer;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.HashPartitioner;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap bytes allocated per record on the sources' hot paths, counted by
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()} on the one thread that offers and polls:
 * {@value #BATCHES} batches of {@value #SMALL} rows, then of {@value #LARGE}, so per-batch allocation (builders,
 * column wrappers, the batch) cancels out and the difference divided by the extra rows is what each record costs. A
 * byte count, not a timing: deterministic under any load. Each figure is the least of {@value #RUNS} runs after
 * {@value #WARMUP} warm-up runs of both sizes, since one-time effects (class loading, a recompilation) only add.
 */
class HotPathAllocationTest {
    private static final Logger LOG = LoggerFactory.getLogger(HotPathAllocationTest.class);
    private static final Schema SCHEMA = Schema.of(Field.notNull("received_ns", ColumnType.INT64),
        Field.notNull("key", ColumnType.INT32), Field.nullable("score", ColumnType.FLOAT64), Field.notNull("word", ColumnType.UTF8));
    private static final int BATCHES = 10;
    private static final int SMALL = 1_000;
    private static final int LARGE = 10_000;
    private static final int WARMUP = 5;
    private static final int RUNS = 5;
    /**
     * Bytes per extra record allowed: 0.5 B, i.e. 45 KB over the 90,000 extra rows. Allocating one object per record
     * (16 B at least) exceeds it 32-fold, one per 32 records still does; amortized growth of an off-heap column (its
     * wrapper objects, about 250 B per doubling, a few doublings from 1,000 to 10,000 rows: about 0.1 B per record in
     * the line assembler, whose block starts small) stays below it.
     */
    private static final double MAX_BYTES_PER_RECORD = 0.5;

    private static com.sun.management.ThreadMXBean threads;
    private final BufferAllocator allocator = new BufferAllocator();

    @BeforeAll
    static void allocationCounting() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counters");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocated memory supported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @AfterEach
    void noLeaks() {
        allocator.close();
    }

    /** Least bytes this thread allocated running {@code BATCHES} batches of {@code rows} rows, over {@code RUNS} runs. */
    private long allocated(final IntConsumer batchOfRows, final int rows) {
        long least = Long.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int b = 0; b < BATCHES; b++) {
                batchOfRows.accept(rows);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    /** Bytes for BATCHES batches of SMALL rows and of LARGE rows, and the difference per extra record. */
    private record Figures(String path, long small, long large) {
        double perRecord() {
            return (double) (large - small) / ((long) BATCHES * (LARGE - SMALL));
        }

        @Override
        public String toString() {
            return path + ": " + small + " B for " + BATCHES + " batches of " + SMALL + " rows, " + large + " B of " + LARGE
                + " rows: " + perRecord() + " B per extra record";
        }
    }

    /** Warms up, then measures batches of SMALL and LARGE rows. */
    private Figures bytesPerRecord(final String path, final IntConsumer batchOfRows) {
        for (int w = 0; w < WARMUP; w++) {
            for (int b = 0; b < BATCHES; b++) {
                batchOfRows.accept(LARGE);
                batchOfRows.accept(SMALL);
            }
        }
        final long small = allocated(batchOfRows, SMALL);
        final long large = allocated(batchOfRows, LARGE);
        final Figures figures = new Figures(path, small, large);
        LOG.info("{}", figures);
        return figures;
    }

    @Test
    void queueSourceRowWriterAndPollAllocateNothingPerRecord() {
        final QueueSource source = QueueSource.create("alloc", SCHEMA, 1 << 14);
        final RowWriter writer = source.rowWriter();
        final PollingContext context = new PollingContext(allocator, false);
        final byte[][] words = {"alpha".getBytes(StandardCharsets.UTF_8), "beta".getBytes(StandardCharsets.UTF_8)};
        final long[] next = {0};
        final Figures figures = bytesPerRecord("QueueSource RowWriter", rows -> {
            long expected = 0;
            for (int r = 0; r < rows; r++) {
                final long id = next[0]++;
                writer.setInt64(0, id).setInt32(1, (int) (id & 1023));
                if ((id & 7) == 0) {
                    writer.setNull(2);
                } else {
                    writer.setFloat64(2, id * 0.5);
                }
                final byte[] word = words[(int) (id & 1)];
                if (writer.setUtf8(3, word, 0, word.length).offer() != Offer.ACCEPTED) {
                    throw new AssertionError("row " + id + " not accepted");
                }
                expected += id;
            }
            source.poll(context, 0);
            if (context.lastSum() != expected) {
                throw new AssertionError("block sum=" + context.lastSum() + " expected=" + expected);
            }
        });
        assertEquals(0, source.pendingRecords());
        source.close();
        assertTrue(figures.perRecord() < MAX_BYTES_PER_RECORD, figures::toString);
    }

    @Test
    void generatorSourceAllocatesNothingPerRecord() {
        final GeneratorSource source = GeneratorSource.builder("gen", SCHEMA).ratePerSecond(1).build();
        final PollingContext context = new PollingContext(allocator, false);
        source.start(context);
        final long[] nanos = {0};
        final Figures figures = bytesPerRecord("GeneratorSource", rows -> {
            final long before = context.storedRows();
            source.setRate(rows, nanos[0]);
            nanos[0] += 1_000_000_000L;
            source.poll(context, nanos[0]);
            if (context.storedRows() - before != rows) {
                throw new AssertionError("stored=" + (context.storedRows() - before) + " expected=" + rows);
            }
        });
        assertTrue(figures.perRecord() < MAX_BYTES_PER_RECORD, figures::toString);
    }

    @Test
    void lineAssemblerAllocatesNothingPerRecord() {
        final byte[] lines = "a line of text\r\nanother line\n".getBytes(StandardCharsets.UTF_8);
        final PollingContext context = new PollingContext(allocator, false);
        try (LineAssembler assembler = new LineAssembler(allocator, 1024, 1024, new RejectCounter(LOG, "lines"))) {
            final Figures figures = bytesPerRecord("LineAssembler", rows -> {
                for (int r = 0; r < rows; r += 2) {
                    assembler.accept(lines, 0, lines.length);
                }
                final Batch block = assembler.takeBlock();
                if (block.rowCount() != rows) {
                    block.release();
                    throw new AssertionError("lines=" + block.rowCount() + " expected=" + rows);
                }
                context.tryStore(block);
            });
            assertTrue(figures.perRecord() < MAX_BYTES_PER_RECORD, figures::toString);
        }
    }

    @Test
    void hashPartitioningAllocatesNothingPerRecord() {
        final HashPartitioner partitioner = new HashPartitioner(2, List.of("key"));
        final Batch[] inputs = new Batch[LARGE + 1];
        for (final int rows : new int[] {SMALL, LARGE}) {
            try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, rows)) {
                for (int r = 0; r < rows; r++) {
                    builder.setInt64(0, r).setInt32(1, r & 1023).setNull(2).setUtf8(3, "w").endRow();
                }
                inputs[rows] = builder.build();
            }
        }
        try {
            final Figures figures = bytesPerRecord("HashPartitioner", rows -> {
                final List<Batch> parts = partitioner.partition(inputs[rows], allocator);
                final int total = parts.get(0).rowCount() + parts.get(1).rowCount();
                Batch.releaseAll(parts);
                if (total != rows) {
                    throw new AssertionError("partitioned rows=" + total + " expected=" + rows);
                }
            });
            assertTrue(figures.perRecord() < MAX_BYTES_PER_RECORD, figures::toString);
        } finally {
            inputs[SMALL].release();
            inputs[LARGE].release();
        }
    }

    /** The instrument itself: one retained 16-byte array per record must show as at least 16 B per record. */
    @Test
    void theCountSeesAnAllocationPerRecord() {
        final Object[][] kept = new Object[1][];
        final Figures figures = bytesPerRecord("one byte[16] per record", rows -> {
            final Object[] arrays = new Object[rows];
            for (int r = 0; r < rows; r++) {
                arrays[r] = new byte[16];
            }
            kept[0] = arrays;
        });
        assertTrue(kept[0].length > 0);
        assertTrue(figures.perRecord() >= 16, figures::toString);
    }
}
