package io.sluice.engine.stream;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/** Batch helpers the stream layer needs: a byte-size estimate for budgets, and concatenation of blocks. */
final class Batches {
    private Batches() {
    }

    /**
     * The payload bytes of {@code batch}: values, offsets and validity bitmaps (not allocator rounding). Linear in
     * the rows of UTF8 columns, constant otherwise.
     */
    static long payloadBytes(final Batch batch) {
        final int rows = batch.rowCount();
        long bytes = 0;
        for (int c = 0; c < batch.columnCount(); c++) {
            final Field field = batch.schema().field(c);
            if (field.isNullable()) {
                bytes += (rows + 7L) >>> 3;
            }
            final ColumnType type = field.type();
            if (type == ColumnType.UTF8) {
                final Utf8Vector vector = batch.utf8Vector(c);
                bytes += (rows + 1L) * Integer.BYTES;
                for (int row = 0; row < rows; row++) {
                    bytes += vector.length(row);
                }
            } else if (type == ColumnType.BOOLEAN) {
                bytes += (rows + 7L) >>> 3;
            } else {
                bytes += (long) rows * type.byteWidth();
            }
        }
        return bytes;
    }

    /** An empty batch of {@code schema}. */
    static Batch empty(final BufferAllocator allocator, final Schema schema) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 0)) {
            return builder.build();
        }
    }

    /**
     * One batch holding the rows of {@code blocks} in order. Takes over the blocks: the result is the single block
     * itself, or a copy after which the blocks are released. On failure every block is released.
     */
    static Batch concat(final BufferAllocator allocator, final Schema schema, final List<Batch> blocks) {
        if (blocks.isEmpty()) {
            return empty(allocator, schema);
        }
        if (blocks.size() == 1) {
            return blocks.get(0);
        }
        try {
            return BatchBuilder.concat(allocator, schema, blocks);
        } finally {
            for (final Batch block : blocks) {
                block.release();
            }
        }
    }
}
