package io.sluice.engine.stream.state;

import io.sluice.engine.dataset.Rows;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Boxed rows for the user functions of keyed state: a row is an {@code Object[]} with one value per field, typed
 * Integer (INT32), Long (INT64), Double (FLOAT64), Boolean (BOOLEAN), String (UTF8) or null (nullable fields only).
 * Allocates; used only where a user function needs objects. Boxing and unboxing are {@link Rows}'.
 *
 * <p>Internal: public only for the other stream packages, not part of the user API.
 */
public final class StateRows {
    private StateRows() {
    }

    /**
     * Checks that {@code values} fits {@code schema} (count, types, nulls); throws {@link IllegalArgumentException}
     * naming {@code what}, the column and the value otherwise.
     */
    public static void check(final Schema schema, final Object[] values, final String what) {
        final String problem = problem(schema, values);
        if (problem != null) {
            throw new IllegalArgumentException(what + problem);
        }
    }

    /**
     * Null if {@code values} fits {@code schema} (count, types, nulls), else the problem (starting with a space), so
     * that callers build their message only on failure: this runs once per row.
     */
    static String problem(final Schema schema, final Object[] values) {
        if (values == null) {
            return " is null; expected " + schema.fieldCount() + " values for " + schema;
        }
        if (values.length != schema.fieldCount()) {
            return " has " + values.length + " values, schema has " + schema.fieldCount() + " fields " + schema;
        }
        for (int c = 0; c < values.length; c++) {
            final Field field = schema.field(c);
            final Object v = values[c];
            if (v == null) {
                if (!field.isNullable()) {
                    return " column '" + field.name() + "' is null but the field is not nullable";
                }
                continue;
            }
            if (!fits(field.type(), v)) {
                return " column '" + field.name() + "' value=" + v + " of class=" + v.getClass().getSimpleName()
                    + " does not fit type=" + field.type();
            }
        }
        return null;
    }

    private static boolean fits(final ColumnType type, final Object v) {
        switch (type) {
            case INT32:
                return v instanceof Integer;
            case INT64:
                return v instanceof Long || v instanceof Integer;
            case FLOAT64:
                return v instanceof Double || v instanceof Float;
            case BOOLEAN:
                return v instanceof Boolean;
            case UTF8:
                return v instanceof String;
            default:
                return false;
        }
    }

    /** Sets columns {@code [first, first + values.length)} of the builder's current row; values already checked. */
    public static void set(final BatchBuilder builder, final int first, final Object[] values) {
        for (int i = 0; i < values.length; i++) {
            final int c = first + i;
            final Object v = values[i];
            if (v == null) {
                builder.setNull(c);
                continue;
            }
            Rows.setValue(builder, c, v);
        }
    }
}
