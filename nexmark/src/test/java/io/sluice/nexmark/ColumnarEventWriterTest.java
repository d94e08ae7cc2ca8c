package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;

/** The generator's off-heap writer: the batch holds exactly the generated values, and nothing leaks. */
class ColumnarEventWriterTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(1_000_000);
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void nothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void everyKindsBatchHoldsTheGeneratedValues() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        for (final EventKind kind : EventKind.values()) {
            // 3,000 rows: string columns start at 32 bytes a row and have to grow past it (extras average more)
            final int rows = 3_000;
            final Batch batch;
            try (ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.of(kind), rows)) {
                for (long index = 0; index < rows; index++) {
                    generator.write(kind, kind.eventId(index), writer);
                    writer.endRow();
                }
                batch = writer.build();
            }
            try (batch) {
                final List<Object[]> got = new ArrayList<>();
                BatchRows.addTo(batch, got);
                assertEquals(rows, got.size());
                for (int index = 0; index < rows; index++) {
                    final long id = kind.eventId(index);
                    assertArrayEquals(NexmarkGeneratorTest.generate(generator, id), got.get(index), kind + " event id=" + id);
                }
            }
        }
    }

    @Test
    void incompleteRowsAndOverflowAreRefusedAndReleased() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        try (ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.BID, 1)) {
            writer.int64(NexmarkSchemas.BID_AUCTION, 1);
            assertThrows(IllegalStateException.class, writer::endRow, "one value of five");
            assertThrows(IllegalStateException.class, writer::build, "a row is half written");
        }
        try (ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.BID, 1)) {
            generator.write(EventKind.BID, EventKind.BID.eventId(0), writer);
            writer.endRow();
            assertThrows(IllegalStateException.class,
                () -> generator.write(EventKind.BID, EventKind.BID.eventId(1), writer), "capacity is one row");
        }
        final ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.PERSON, 4);
        final Batch empty = writer.build();
        writer.close();
        assertEquals(0, empty.rowCount());
        assertThrows(IllegalStateException.class, writer::build);
        empty.release();
    }
}
