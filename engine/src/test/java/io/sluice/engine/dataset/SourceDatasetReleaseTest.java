package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Datasets made from rows or batches give their memory back on close(), not only when the context closes. */
class SourceDatasetReleaseTest extends LeakCheckedContext {
    private static final Schema LINES = Schema.of(Field.nullable("line", ColumnType.UTF8));

    private static List<Object[]> lines(final int n) {
        final List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {"line number " + i + " of the corpus"});
        }
        return rows;
    }

    @Test
    void closingAFromRowsDatasetReturnsItsMemoryWhileTheContextStaysOpen() {
        final List<Object[]> rows = lines(100_000);
        final long before = allocator.bytesOutstanding();
        for (int call = 0; call < 10; call++) {
            try (SourceDataset ds = ctx.fromRows(LINES, rows, 8)) {
                assertTrue(allocator.bytesOutstanding() - before > 100_000L * 20,
                    "the 100k lines are off-heap: " + allocator.bytesOutstanding());
                assertEquals(100_000, ds.filter(col("line").contains("number")).count());
            }
            assertEquals(before, allocator.bytesOutstanding(), "call " + call + " left its batches allocated");
        }
    }

    @Test
    void closingAFromBatchesDatasetReleasesTheBatchesItTookOver() {
        final Batch batch = DatasetBatches.fromRows(allocator, LINES, lines(1000));
        final SourceDataset ds = ctx.fromBatches(LINES, List.of(batch));
        assertEquals(1000, ds.count());
        assertFalse(batch.isReleased());
        ds.close();
        assertTrue(batch.isReleased());
        assertTrue(ds.isClosed());
        assertEquals(0, allocator.bytesOutstanding());
        ds.close();   // idempotent
    }

    /** A source's partitions are its batches: materialized as retained references, the same rows, no copy. */
    @Test
    void materializingASourceRetainsItsBatchesAndThrowsOnceItIsClosed() {
        final SourceDataset ds = ctx.fromRows(LINES, lines(300), 3);
        final List<Batch> parts = DatasetBatches.materialize(ds);
        assertEquals(3, parts.size());
        assertEquals(300, parts.stream().mapToInt(Batch::rowCount).sum());
        assertEquals("line number 0 of the corpus", parts.get(0).utf8Vector(0).getString(0));
        ds.close();
        for (final Batch part : parts) {
            assertFalse(part.isReleased(), "the caller's reference keeps the batch after the dataset closed");
            part.release();
        }
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> DatasetBatches.materialize(ds));
        assertTrue(ex.getMessage().contains("dataset fromRows is closed"), ex.getMessage());
    }

    @Test
    void useAfterCloseThrowsNamingTheDataset() {
        final SourceDataset ds = ctx.fromRows(LINES, lines(50), 3);
        final Dataset derived = ds.filter(col("line").contains("7")).groupBy("line").agg(Agg.count());
        assertEquals(5, derived.count());   // 7, 17, 27, 37, 47
        ds.close();
        for (final Dataset closed : List.of(ds, ds.select(col("line")), derived, ds.agg(Agg.count()))) {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, closed::collect);
            assertTrue(ex.getMessage().contains("dataset fromRows is closed"), ex.getMessage());
        }
    }

    @Test
    void closingTheContextStillReleasesDatasetsNotClosed() {
        final SourceDataset ds = ctx.fromRows(LINES, lines(500), 2);
        assertTrue(allocator.bytesOutstanding() > 0);
        ctx.close();
        assertTrue(ds.isClosed());
        assertEquals(0, allocator.bytesOutstanding());
        assertThrows(IllegalStateException.class, () -> ctx.fromRows(LINES, lines(5), 1));
        assertEquals(0, allocator.bytesOutstanding(), "a refused dataset releases what it built");
    }

    /** close() racing an action: the action sees every row or a clear exception, never freed memory. */
    @Test
    void closeDuringAnActionNeverFreesBatchesATaskReads() throws InterruptedException {
        final List<Object[]> rows = lines(2000);
        int completed = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            final SourceDataset ds = ctx.fromRows(LINES, rows, 4);
            final CountDownLatch go = new CountDownLatch(1);
            final AtomicReference<Throwable> closer = new AtomicReference<>();
            final Thread t = new Thread(() -> {
                try {
                    go.await();
                    ds.close();
                } catch (final Throwable ex) {
                    closer.set(ex);
                }
            });
            t.start();
            go.countDown();
            try {
                assertEquals(2000, ds.filter(col("line").contains("line")).select(col("line").length().plus(lit(1)).as("n"))
                    .count());
                completed++;
            } catch (final IllegalStateException ex) {
                assertTrue(ex.getMessage().contains("is closed"), ex.getMessage());
                refused++;
            }
            t.join();
            assertEquals(null, closer.get());
            assertEquals(0, allocator.bytesOutstanding(), "iteration " + i);
        }
        assertEquals(200, completed + refused);
    }
}
