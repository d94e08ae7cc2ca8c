package io.sluice.memory;

import org.agrona.DirectBuffer;

/** Read-only INT32 column. */
public interface Int32Vector extends ColumnVector {
    /** The value at {@code row}; 0 for a null row. */
    int get(int row);

    /**
     * The values as a buffer: row {@code r} at byte index {@code 4 * r}, native (little-endian) order, exactly
     * {@code 4 * rowCount()} bytes. For hot loops; not checked for release, valid only while the batch is retained.
     */
    DirectBuffer dataBuffer();

    @Override
    default Object getObject(final int row) {
        return isNull(row) ? null : get(row);
    }
}
