package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.sluice.engine.stream.source.QueueSource.Offer;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowWriterTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("id", ColumnType.INT64), Field.notNull("key", ColumnType.INT32),
        Field.nullable("score", ColumnType.FLOAT64), Field.nullable("flag", ColumnType.BOOLEAN),
        Field.nullable("name", ColumnType.UTF8));

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void noLeaks() {
        allocator.close();
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writerBoxedAndBatchRowsArriveInOrderWithTheirValues() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 8);
        final RowWriter writer = source.rowWriter();
        final byte[] scratch = utf8("xxhällo");
        assertEquals(Offer.ACCEPTED, writer.setInt64(0, 1L << 40).setInt32(1, -7).setFloat64(2, 0.25).setBoolean(3, true)
            .setUtf8(4, scratch, 2, scratch.length - 2).offer());
        scratch[2] = 'H';
        assertEquals(Offer.ACCEPTED, source.offerRow(2L, 8, null, null, "boxed"));
        assertEquals(Offer.ACCEPTED, writer.setUtf8(4, utf8("a longer text than the slot held before"), 0, 39).setNull(3)
            .setNull(2).setInt32(1, 9).setInt64(0, 3L).offer());
        final Batch batch;
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, 1)) {
            batch = builder.setInt64(0, 4L).setInt32(1, 4).setNull(2).setNull(3).setNull(4).endRow().build();
        }
        assertEquals(Offer.ACCEPTED, source.offerBatch(batch));
        assertEquals(Offer.ACCEPTED, writer.setInt64(0, 5L).setInt32(1, 5).setFloat64(2, -1.5).setBoolean(3, false)
            .setUtf8(4, scratch, 0, 0).offer());
        assertEquals(5, source.pendingRecords());

        final PollingContext context = new PollingContext(allocator, true);
        source.poll(context, 0);
        source.poll(context, 0);
        source.poll(context, 0);
        final List<Batch> blocks = context.kept();
        assertEquals(3, blocks.size(), "rows, then the batch, then rows: a block never mixes them out of order");
        try {
            final Batch rows = blocks.get(0);
            assertEquals(3, rows.rowCount());
            assertEquals(1L << 40, rows.int64Vector(0).get(0));
            assertEquals(-7, rows.int32Vector(1).get(0));
            assertEquals(0.25, rows.float64Vector(2).get(0));
            assertTrue(rows.booleanVector(3).get(0));
            assertEquals("hällo", rows.utf8Vector(4).getString(0), "copied at the set, not at the offer");
            assertEquals(2L, rows.int64Vector(0).get(1));
            assertTrue(rows.float64Vector(2).isNull(1));
            assertTrue(rows.booleanVector(3).isNull(1));
            assertEquals("boxed", rows.utf8Vector(4).getString(1));
            assertEquals(3L, rows.int64Vector(0).get(2));
            assertEquals("a longer text than the slot held before", rows.utf8Vector(4).getString(2));
            assertTrue(rows.float64Vector(2).isNull(2));
            assertEquals(4L, blocks.get(1).int64Vector(0).get(0));
            final Batch last = blocks.get(2);
            assertEquals(1, last.rowCount());
            assertEquals(-1.5, last.float64Vector(2).get(0));
            assertFalse(last.booleanVector(3).get(0));
            assertEquals("", last.utf8Vector(4).getString(0));
        } finally {
            Batch.releaseAll(blocks);
        }
        assertEquals(0, source.pendingRecords());
        source.close();
    }

    @Test
    void badRowsAreRejectedAndCountedAndWrongSettersThrow() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 8);
        final RowWriter writer = source.rowWriter();
        final IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> writer.setFloat64(0, 1.0));
        assertTrue(wrongType.getMessage().contains("'id'"), wrongType.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> writer.setInt64(5, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> writer.setUtf8(4, new byte[2], 1, 2));

        assertEquals(Offer.REJECTED, writer.setInt64(0, 1L).setInt32(1, 1).setNull(2).setNull(3).offer(), "name unset");
        assertEquals(Offer.REJECTED, writer.setInt64(0, 1L).setNull(1).setNull(2).setNull(3).setNull(4).offer(), "null key");
        assertEquals(Offer.REJECTED, writer.setInt64(0, 1L).setInt32(1, 1).setNull(2).setNull(3)
            .setUtf8(4, new byte[] {(byte) 0xC3, (byte) 0x28}, 0, 2).offer(), "not UTF-8");
        assertEquals(3, source.rejectedRecords());
        assertEquals(Offer.REJECTED, writer.setInt32(0, 1).offer(), "a rejected row leaves nothing behind");
        assertEquals(4, source.rejectedRecords());
        assertEquals(0, source.pendingRecords());
        source.stop();
        assertEquals(Offer.CLOSED, writer.setInt32(0, 6).setInt32(1, 6).setNull(2).setNull(3).setNull(4).offer());
        source.close();
    }

    @Test
    void aBackPressuredRowStaysInTheWriterForTheRetry() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 2);
        final RowWriter writer = source.rowWriter();
        for (long id = 0; id < 2; id++) {
            assertEquals(Offer.ACCEPTED, writer.setInt64(0, id).setInt32(1, 0).setNull(2).setNull(3).setNull(4).offer());
        }
        assertEquals(Offer.BACK_PRESSURED, writer.setInt64(0, 2L).setInt32(1, 0).setNull(2).setNull(3).setNull(4).offer());
        assertEquals(Offer.BACK_PRESSURED, writer.put(Duration.ofMillis(2)));
        final PollingContext context = new PollingContext(allocator, false);
        source.poll(context, 0);
        assertEquals(2, context.storedRows());
        assertEquals(1, context.lastSum());
        assertEquals(Offer.ACCEPTED, writer.offer(), "the same row, retried");
        source.poll(context, 0);
        assertEquals(3, context.storedRows());
        assertEquals(2, context.lastSum());
        source.close();
    }

    @Test
    void rowsLapTheRingManyTimesInOrder() {
        final QueueSource source = QueueSource.create("q", SCHEMA, 4);
        final RowWriter writer = source.rowWriter();
        final PollingContext context = new PollingContext(allocator, false);
        long id = 0;
        for (int lap = 0; lap < 1_000; lap++) {
            long expected = 0;
            final int rows = 1 + lap % 4;
            for (int r = 0; r < rows; r++) {
                expected += id;
                final byte[] name = utf8("n" + id);
                assertEquals(Offer.ACCEPTED, writer.setInt64(0, id++).setInt32(1, r).setNull(2).setBoolean(3, r == 1)
                    .setUtf8(4, name, 0, name.length).offer());
            }
            source.poll(context, 0);
            assertEquals(expected, context.lastSum(), "lap " + lap);
        }
        assertEquals(id, context.storedRows());
        source.close();
    }
}
