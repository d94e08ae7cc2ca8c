package io.sluice.engine.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * SQL IN over a list of constants: true if the value equals one of them; otherwise null if the value or any constant
 * is null; otherwise false. Numbers compare by value (INT32, INT64 and FLOAT64 mix), strings by their bytes.
 */
final class InList extends Expr {
    private final Expr input;
    private final List<Object> values;

    InList(final Expr input, final List<Object> values) {
        this.input = input;
        this.values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr in = input.bind(schema);
        final ColumnType type = in.type();
        final Set<Object> set = new HashSet<>();
        boolean anyNull = false;
        for (final Object v : values) {
            if (v == null) {
                anyNull = true;
            } else if (isNumeric(type) && v instanceof Number) {
                final Object key = numericKey(type, ((Number) v).doubleValue(), v);
                if (key != null) {
                    set.add(key);
                }
            } else if (type == ColumnType.UTF8 && v instanceof String || type == ColumnType.BOOLEAN && v instanceof Boolean) {
                set.add(v);
            } else {
                throw new IllegalArgumentException("IN list value=" + v + " of class=" + v.getClass().getSimpleName()
                    + " does not compare with " + input + " of type=" + type + " in " + this);
            }
        }
        final boolean listHasNull = anyNull;
        return BoundExpr.of(ColumnType.BOOLEAN, batch -> {
            final ColumnValues a = in.eval(batch);
            final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, a.size);
            for (int row = 0; row < a.size; row++) {
                if (a.isNull(row)) {
                    out.setNull(row);
                    continue;
                }
                final Object key;
                if (type == ColumnType.UTF8) {
                    key = new String(a.bytes, a.offsets[row], a.utf8Length(row), StandardCharsets.UTF_8);
                } else if (type == ColumnType.BOOLEAN) {
                    key = a.bools[row];
                } else if (type == ColumnType.FLOAT64) {
                    key = a.doubles[row] + 0.0;
                } else {
                    key = a.longs[row];
                }
                if (set.contains(key)) {
                    out.bools[row] = true;
                } else if (listHasNull) {
                    out.setNull(row);
                }
            }
            return out;
        });
    }

    /** The set key of a numeric constant for an input of {@code type}; null if no value of that type equals it. */
    private static Object numericKey(final ColumnType type, final double asDouble, final Object v) {
        if (type == ColumnType.FLOAT64) {
            return asDouble + 0.0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        return asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 0x1p63 ? (Object) (long) asDouble : null;
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.in(input, values);
    }

    @Override
    public String toString() {
        return "(" + input + " IN " + values + ")";
    }
}
