package io.sluice.nexmark;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;

/** A batch's rows as boxed values (Long, Double, String): only for comparing small outputs exactly. */
final class BatchRows {
    private BatchRows() {
    }

    static void addTo(final Batch batch, final List<Object[]> rows) {
        for (int row = 0; row < batch.rowCount(); row++) {
            final Object[] values = new Object[batch.columnCount()];
            for (int c = 0; c < values.length; c++) {
                final ColumnType type = batch.schema().field(c).type();
                values[c] = type == ColumnType.INT64 ? (Object) batch.int64Vector(c).get(row)
                    : type == ColumnType.FLOAT64 ? (Object) batch.float64Vector(c).get(row)
                    : batch.utf8Vector(c).getString(row);
            }
            rows.add(values);
        }
    }
}
