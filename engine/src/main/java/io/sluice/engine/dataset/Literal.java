package io.sluice.engine.dataset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** A constant (possibly a typed null), repeated for every row. */
final class Literal extends Expr {
    private final Object value;
    private final ColumnType type;

    Literal(final Object value, final ColumnType type) {
        this.value = value;
        this.type = type;
    }

    static Literal of(final Object value) {
        if (value instanceof Integer) {
            return new Literal(value, ColumnType.INT32);
        } else if (value instanceof Long) {
            return new Literal(value, ColumnType.INT64);
        } else if (value instanceof Double) {
            return new Literal(value, ColumnType.FLOAT64);
        } else if (value instanceof Boolean) {
            return new Literal(value, ColumnType.BOOLEAN);
        } else if (value instanceof String) {
            return new Literal(value, ColumnType.UTF8);
        }
        throw new IllegalArgumentException("literal value=" + value + " of class="
            + (value == null ? "null (use Expr.nullOf(type))" : value.getClass().getName())
            + " is not Integer, Long, Double, Boolean or String");
    }

    /** The value (null for a typed null). */
    Object value() {
        return value;
    }

    /** The value's type (also of a typed null). */
    ColumnType type() {
        return type;
    }

    /** The value as UTF-8 bytes, for a non-null UTF8 literal. */
    byte[] utf8() {
        return ((String) value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final byte[] utf8 = value instanceof String ? utf8() : null;
        final Function<Batch, ColumnValues> eval = batch -> {
            final int n = batch.rowCount();
            final ColumnValues out = new ColumnValues(type, n);
            if (value == null) {
                for (int r = 0; r < n; r++) {
                    out.setNull(r);
                }
                if (type == ColumnType.UTF8) {
                    Arrays.fill(out.offsets, 0);
                }
                return out;
            }
            switch (type) {
                case INT32:
                case INT64:
                    Arrays.fill(out.longs, ((Number) value).longValue());
                    break;
                case FLOAT64:
                    Arrays.fill(out.doubles, (Double) value);
                    break;
                case BOOLEAN:
                    Arrays.fill(out.bools, (Boolean) value);
                    break;
                default:
                    for (int r = 0; r < n; r++) {
                        out.appendUtf8(r, utf8, 0, utf8.length);
                    }
                    break;
            }
            return out;
        };
        return value instanceof Number ? numeric(eval) : BoundExpr.of(type, eval);
    }

    /** A numeric literal: read in place, one constant for every row. */
    private BoundExpr numeric(final Function<Batch, ColumnValues> eval) {
        final long asLong = ((Number) value).longValue();
        final double asDouble = ((Number) value).doubleValue();
        return new BoundExpr.InPlace(type, eval, this) {
            @Override
            public LongRows longRows(final Batch batch) {
                if (type == ColumnType.FLOAT64) {
                    return super.longRows(batch);
                }
                return row -> asLong;
            }

            @Override
            public DoubleRows doubleRows(final Batch batch) {
                return row -> asDouble;
            }
        };
    }

    /** The value as a number when it is a non-null numeric literal, else null. */
    Number number() {
        return value instanceof Number ? (Number) value : null;
    }

    @Override
    public String toString() {
        return value == null ? "null:" + type : value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.literal(value, type);
    }
}
