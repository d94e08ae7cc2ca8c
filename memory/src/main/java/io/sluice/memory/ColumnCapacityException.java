package io.sluice.memory;

/**
 * A column would need a buffer larger than the largest one the allocator hands out
 * ({@link BufferAllocator#MAX_SIZE_CLASS}, 1 GiB) or more rows than a batch holds. Names the column, what it needed
 * and the limit. Split the input into more batches.
 */
public final class ColumnCapacityException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String column;

    public ColumnCapacityException(final String column, final String problem) {
        super("column '" + column + "' " + problem);
        this.column = column;
    }

    /** The name of the column that overflowed. */
    public String column() {
        return column;
    }
}
