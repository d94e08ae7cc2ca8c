package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BooleanVector;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/** Conversions between batches and boxed rows, for {@link Dataset#collect()} and row sources only (allocates). */
final class Rows {
    private Rows() {
    }

    /** The value at {@code row} boxed: Integer, Long, Double, Boolean, String, or null. */
    static Object value(final ColumnVector vector, final int row) {
        if (vector.isNull(row)) {
            return null;
        }
        switch (vector.type()) {
            case INT32:
                return ((Int32Vector) vector).get(row);
            case INT64:
                return ((Int64Vector) vector).get(row);
            case FLOAT64:
                return ((Float64Vector) vector).get(row);
            case BOOLEAN:
                return ((BooleanVector) vector).get(row);
            default:
                return ((Utf8Vector) vector).getString(row);
        }
    }

    static Object[] row(final Batch batch, final int row) {
        final Object[] out = new Object[batch.columnCount()];
        for (int c = 0; c < out.length; c++) {
            out[c] = value(batch.vector(c), row);
        }
        return out;
    }

    /** Appends one boxed row; throws naming the column when a value does not fit its type. */
    static void append(final BatchBuilder builder, final Object[] values, final int rowIndex) {
        final Schema schema = builder.schema();
        if (values.length != schema.fieldCount()) {
            throw new IllegalArgumentException("row " + rowIndex + " has " + values.length + " values, schema has "
                + schema.fieldCount() + " fields " + schema);
        }
        for (int c = 0; c < values.length; c++) {
            final Object v = values[c];
            if (v == null) {
                builder.setNull(c);
                continue;
            }
            try {
                switch (schema.field(c).type()) {
                    case INT32:
                        builder.setInt32(c, (Integer) v);
                        break;
                    case INT64:
                        builder.setInt64(c, ((Number) v).longValue());
                        break;
                    case FLOAT64:
                        builder.setFloat64(c, ((Number) v).doubleValue());
                        break;
                    case BOOLEAN:
                        builder.setBoolean(c, (Boolean) v);
                        break;
                    default:
                        builder.setUtf8(c, (String) v);
                        break;
                }
            } catch (final ClassCastException ex) {
                throw new IllegalArgumentException("column '" + schema.field(c).name() + "' row " + rowIndex + " value=" + v
                    + " of class=" + v.getClass().getSimpleName() + " does not fit type=" + schema.field(c).type(), ex);
            }
        }
        builder.endRow();
    }
}
