package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Schema;

/**
 * Conversions between batches and boxed rows (Integer, Long, Double, Boolean, String, or null), for
 * {@link Dataset#collect()}, row sources and user functions that need objects only (allocates).
 */
public final class Rows {
    private Rows() {
    }

    /** The value at {@code row} boxed: Integer, Long, Double, Boolean, String, or null. */
    public static Object value(final ColumnVector vector, final int row) {
        return vector.getObject(row);
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
                setValue(builder, c, v);
            } catch (final ClassCastException ex) {
                throw new IllegalArgumentException("column '" + schema.field(c).name() + "' row " + rowIndex + " value=" + v
                    + " of class=" + v.getClass().getSimpleName() + " does not fit type=" + schema.field(c).type(), ex);
            }
        }
        builder.endRow();
    }

    /**
     * Sets column {@code column} of {@code builder}'s current row to the non-null boxed {@code value} (an Integer for
     * INT32, any Number for INT64 and FLOAT64); throws {@link ClassCastException} if the value does not fit the type.
     */
    public static void setValue(final BatchBuilder builder, final int column, final Object value) {
        switch (builder.schema().field(column).type()) {
            case INT32:
                builder.setInt32(column, (Integer) value);
                break;
            case INT64:
                builder.setInt64(column, ((Number) value).longValue());
                break;
            case FLOAT64:
                builder.setFloat64(column, ((Number) value).doubleValue());
                break;
            case BOOLEAN:
                builder.setBoolean(column, (Boolean) value);
                break;
            default:
                builder.setUtf8(column, (String) value);
                break;
        }
    }
}
