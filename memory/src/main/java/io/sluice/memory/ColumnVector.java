package io.sluice.memory;

/**
 * Read-only view of one column of a {@link Batch}. Valid while the batch is retained; with bounds checks on,
 * any access after the batch's release throws {@link IllegalStateException} and a row outside
 * {@code [0, rowCount())} throws {@link IndexOutOfBoundsException}. Safe to read from many threads.
 */
public interface ColumnVector {
    /** The field this column holds. */
    Field field();

    /** The column's type, {@code field().type()}. */
    default ColumnType type() {
        return field().type();
    }

    /** Rows in this column (the batch's row count). */
    int rowCount();

    /** Whether the value at {@code row} is null; always false for non-nullable fields. */
    boolean isNull(int row);

    /** The value at {@code row} boxed (Boolean, Integer, Long, Double or String), or null; allocates. */
    Object getObject(int row);

    /** Number of null rows (counted on each call). */
    default int nullCount() {
        int nulls = 0;
        for (int row = 0; row < rowCount(); row++) {
            if (isNull(row)) {
                nulls++;
            }
        }
        return nulls;
    }
}
