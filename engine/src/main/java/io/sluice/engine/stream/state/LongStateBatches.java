package io.sluice.engine.stream.state;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The input checks of the primitive keyed states, and the output batches of {@link LongKeyedState#update}: (key, state
 * after the row) per row.
 */
final class LongStateBatches {
    private static final Schema STATE_ONLY = Schema.of(LongKeyedState.outputSchema().field(1));

    private LongStateBatches() {
    }

    /** Writes one input's states: {@code keys} is the input's key column, row r's state goes to byte 8r of {@code states}. */
    @FunctionalInterface
    interface StateWriter {
        void write(DirectBuffer keys, MutableDirectBuffer states);
    }

    /** Throws naming the input and the columns if column {@code keyColumn} or any of {@code valueColumns} of any input holds a null. */
    static void checkInputs(final String label, final List<Batch> inputs, final int keyColumn, final int... valueColumns) {
        for (int i = 0; i < inputs.size(); i++) {
            final Batch input = inputs.get(i);
            boolean nulls = hasNulls(input, keyColumn);
            for (final int column : valueColumns) {
                nulls |= hasNulls(input, column);
            }
            if (nulls) {
                throw new IllegalArgumentException(label + ": key column index=" + keyColumn + " and value column index="
                    + (valueColumns.length == 1 ? Integer.toString(valueColumns[0]) : Arrays.toString(valueColumns))
                    + " must not hold nulls (input batch index=" + i + ")");
            }
        }
    }

    /**
     * Whether INT64 column {@code column} of {@code batch} holds a null: its validity bits read 64 rows a word (a
     * nullable column with no null, as a union's or a literal's, is the common case and costs rows / 64 reads).
     */
    static boolean hasNulls(final Batch batch, final int column) {
        if (!batch.int64Vector(column).field().isNullable()) {
            return false;
        }
        final ByteBuffer bits = ColumnBuffers.validity(batch, column);
        if (bits == null) {
            return false;
        }
        final int from = ColumnBuffers.rowOffset(batch, column);
        final int to = from + batch.rowCount();
        int row = from;
        for (; row < to && (row & 63) != 0; row++) {
            if (absent(bits, row)) {
                return true;
            }
        }
        for (; row + 64 <= to; row += 64) {
            if (bits.getLong(row >>> 3) != -1L) {
                return true;
            }
        }
        for (; row < to; row++) {
            if (absent(bits, row)) {
                return true;
            }
        }
        return false;
    }

    private static boolean absent(final ByteBuffer bits, final int row) {
        return (bits.get(row >>> 3) & (1 << (row & 7))) == 0;
    }

    /**
     * Throws naming {@code label} unless each of {@code columns} holds at least {@code rows} INT64 values: the check
     * a loop that reads and writes the columns by address makes once.
     */
    static void checkRows(final String label, final int rows, final DirectBuffer... columns) {
        final long bytes = (long) rows << 3;
        for (final DirectBuffer column : columns) {
            if (column.capacity() < bytes) {
                throw new IndexOutOfBoundsException(label + ": rows=" + rows + " exceed a column of " + column.capacity()
                    + " bytes");
            }
        }
    }

    /**
     * The output of {@code input} (the caller releases it): the states written by {@code writer} straight into the
     * output's column (no array, no zeroing), the key column the input's own buffer (shared, not copied) when the
     * input declares it non-null, else a copy. The input is held until the output is built.
     */
    static Batch output(final BufferAllocator allocator, final Batch input, final int keyColumn, final StateWriter writer) {
        final Int64Vector keys = input.int64Vector(keyColumn);
        final boolean share = !keys.field().isNullable();
        // Held until the output is built, as the writer reads it by address: a fold function that releases the input
        // only drops its own hold.
        try (Batch held = input.retain();
             BatchBuilder out = new BatchBuilder(allocator, share ? STATE_ONLY : LongKeyedState.outputSchema(), 0)) {
            writer.write(keys.dataBuffer(), out.appendUnwritten(share ? 0 : 1, held.rowCount()));
            if (!share) {
                return out.appendColumn(0, keys).build();
            }
            try (Batch states = out.build()) {
                return Batch.share(LongKeyedState.outputSchema(), new Batch[] {held, states}, new int[] {keyColumn, 0});
            }
        }
    }
}
