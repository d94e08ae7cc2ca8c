package io.sluice.memory;

import org.agrona.DirectBuffer;

/** Read-only FLOAT64 column. */
public interface Float64Vector extends ColumnVector {
    /** The value at {@code row}; 0.0 for a null row. */
    double get(int row);

    /** The values as a buffer, row {@code r} at byte index {@code 8 * r}; valid only while the batch is retained. */
    DirectBuffer dataBuffer();

    @Override
    default Object getObject(final int row) {
        return isNull(row) ? null : get(row);
    }
}
