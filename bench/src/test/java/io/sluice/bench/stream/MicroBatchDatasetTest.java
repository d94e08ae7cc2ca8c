package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

import io.sluice.bench.dataset.TextRecords;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;

class MicroBatchDatasetTest {
    private static final TextRecords TEXT = new TextRecords(7);
    private static final String[] LINES = TEXT.records(0, 3000);
    private static final String NEEDLE = " " + TEXT.word(40) + " ";

    private static Batch lines(final BufferAllocator allocator) {
        try (BatchBuilder builder = new BatchBuilder(allocator, TextEmitter.SCHEMA, LINES.length)) {
            builder.appendUtf8Column(0, LINES);
            return builder.build();
        }
    }

    @Test
    void wordCountAndGrepMatchPlainJavaForAnyPartitioning() {
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("mbd", 2, SchedulingPolicy.WORK_STEALING, false, FaultInjection.none(),
                 allocator)) {
            final Batch batch = lines(allocator);
            try {
                for (final int partitions : new int[] {1, 3, 8}) {
                    for (final TextJob job : TextJob.values()) {
                        final long expected = job.runJava(LINES, NEEDLE);
                        assertEquals(expected, job.run(MicroBatchDataset.of(exec, batch, partitions, PartitionCost.NONE), NEEDLE),
                            job + " over partitions=" + partitions);
                        assertEquals(expected, job.runParallelStream(LINES, NEEDLE), job + " parallelStream");
                    }
                }
                assertTrue(TextJob.GREP.runJava(LINES, NEEDLE) > 0, "the needle occurs");
            } finally {
                batch.release();
            }
            assertTrue(batch.isReleased(), "the datasets kept no reference to the batch");
        }
    }

    @Test
    void theCostSeesEveryRowOfEveryPartitionOnce() {
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("mbd-cost", 2, SchedulingPolicy.WORK_STEALING, false, FaultInjection.none(),
                 allocator)) {
            final Batch batch = lines(allocator);
            // The cost runs per generated chunk of a partition (a task may copy its partition in several chunks, and
            // split-off chunks run on other workers): per partition, the chunks' rows add up to the partition's.
            final AtomicLongArray rows = new AtomicLongArray(7);
            try {
                final long count = MicroBatchDataset.of(exec, batch, 7, (p, n) -> rows.addAndGet(p, n)).count();
                assertEquals(LINES.length, count);
            } finally {
                batch.release();
            }
            for (int p = 0; p < 7; p++) {
                assertEquals(MicroBatchDataset.from(LINES.length, 7, p + 1) - MicroBatchDataset.from(LINES.length, 7, p),
                    rows.get(p), "partition " + p);
            }
        }
    }

    @Test
    void partitionBoundsCoverTheRowsInOrder() {
        assertEquals(0, MicroBatchDataset.from(10, 3, 0));
        assertEquals(3, MicroBatchDataset.from(10, 3, 1));
        assertEquals(6, MicroBatchDataset.from(10, 3, 2));
        assertEquals(10, MicroBatchDataset.from(10, 3, 3));
        assertEquals(0, MicroBatchDataset.from(2, 4, 1));
    }

    @Test
    void rejectsZeroPartitions() {
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("mbd-bad", 1, SchedulingPolicy.WORK_STEALING, false, FaultInjection.none(),
                 allocator)) {
            final Batch batch = lines(allocator);
            try {
                assertThrows(IllegalArgumentException.class, () -> MicroBatchDataset.of(exec, batch, 0, PartitionCost.NONE));
            } finally {
                batch.release();
            }
        }
    }
}
