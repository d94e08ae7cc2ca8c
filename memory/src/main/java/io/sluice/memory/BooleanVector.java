package io.sluice.memory;

/** Read-only BOOLEAN column, bit-packed. */
public interface BooleanVector extends ColumnVector {
    /** The value at {@code row}; false for a null row. */
    boolean get(int row);

    @Override
    default Object getObject(final int row) {
        return isNull(row) ? null : get(row);
    }
}
