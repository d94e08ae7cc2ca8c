package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** The word-wise null check of the primitive states' inputs against the vector's own null count, on slices too. */
class LongStateBatchesTest {
    private static final int ROWS = 300;

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void tearDown() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    /** A nullable INT64 column of ROWS rows, null at row {@code nullAt} (none if negative), and a non-null one. */
    private Batch batch(final int nullAt) {
        final Schema schema = Schema.of(Field.nullable("n", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, ROWS)) {
            for (int r = 0; r < ROWS; r++) {
                if (r == nullAt) {
                    builder.setNull(0);
                } else {
                    builder.setInt64(0, r);
                }
                builder.setInt64(1, r).endRow();
            }
            return builder.build();
        }
    }

    @Test
    void hasNullsAgreesWithTheNullCountOnEverySliceAroundWordEdges() {
        final int[] edges = {0, 1, 7, 8, 62, 63, 64, 65, 127, 128, 129, 200, 255, 256, 299, 300};
        for (final int nullAt : new int[] {-1, 0, 63, 64, 65, 130, 256, 299}) {
            try (Batch batch = batch(nullAt)) {
                for (final int from : edges) {
                    for (final int to : edges) {
                        if (to < from) {
                            continue;
                        }
                        try (Batch slice = batch.slice(from, to)) {
                            assertEquals(slice.int64Vector(0).nullCount() > 0, LongStateBatches.hasNulls(slice, 0),
                                "null at " + nullAt + ", slice [" + from + ", " + to + ")");
                            assertFalse(LongStateBatches.hasNulls(slice, 1), "a non-null field");
                        }
                    }
                }
            }
        }
    }
}
