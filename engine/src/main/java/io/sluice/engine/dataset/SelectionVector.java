package io.sluice.engine.dataset;

import java.util.Arrays;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;

/**
 * The rows of one batch that passed the filters so far: ascending row indexes {@code rows[0, size)}. Filters refine
 * a selection instead of copying rows; an operator that needs dense input {@link #materialize}s it once. Immutable
 * once made; owned by the task that made it.
 */
final class SelectionVector {
    private final int[] rows;
    private final int size;

    private SelectionVector(final int[] rows, final int size) {
        this.rows = rows;
        this.size = size;
    }

    /** Rows {@code rows[0, size)}, which must be ascending, distinct and inside the batch they select from. */
    static SelectionVector of(final int[] rows, final int size) {
        if (size < 0 || size > rows.length) {
            throw new IllegalArgumentException("selection size=" + size + " out of range [0, " + rows.length + "]");
        }
        return new SelectionVector(rows, size);
    }

    /** Every row of a batch of {@code rowCount} rows. */
    static SelectionVector all(final int rowCount) {
        final int[] rows = new int[rowCount];
        for (int i = 0; i < rowCount; i++) {
            rows[i] = i;
        }
        return new SelectionVector(rows, rowCount);
    }

    int size() {
        return size;
    }

    /** The {@code i}-th selected row index. */
    int row(final int i) {
        return rows[i];
    }

    /** The selected row indexes, a copy. */
    int[] toArray() {
        return Arrays.copyOf(rows, size);
    }

    /** Whether this selects every row of {@code batch}. */
    boolean selectsAll(final Batch batch) {
        return size == batch.rowCount();
    }

    /**
     * A new batch (owned by the caller) of the selected rows of {@code input} in order; {@code input} is not
     * released. Every row selected: a zero-copy slice. Otherwise each run of consecutive rows is copied in bulk.
     */
    Batch materialize(final Batch input, final BufferAllocator allocator) {
        if (size > 0 && rows[size - 1] >= input.rowCount()) {
            throw new IndexOutOfBoundsException("selected row " + rows[size - 1] + " out of range [0, "
                + input.rowCount() + ")");
        }
        if (selectsAll(input)) {
            return input.slice(0, input.rowCount());
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, input.schema(), Math.max(1, size))) {
            int i = 0;
            while (i < size) {
                final int first = rows[i];
                int end = i + 1;
                while (end < size && rows[end] == first + (end - i)) {
                    end++;
                }
                builder.appendRows(input, first, end - i);
                i = end;
            }
            return builder.build();
        }
    }

    @Override
    public String toString() {
        return "SelectionVector[size=" + size + "]";
    }
}
