package io.sluice.engine.dataset;

import java.util.Objects;
import java.util.function.Function;

import org.agrona.DirectBuffer;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** A reference to a column by name. */
final class ColumnRef extends Expr {
    private final String name;

    ColumnRef(final String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    String name() {
        return name;
    }

    @Override
    String outputName() {
        return name;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        if (!schema.contains(name)) {
            throw new IllegalArgumentException("no column '" + name + "' in schema " + schema);
        }
        final int index = schema.indexOf(name);
        final ColumnType type = schema.field(index).type();
        final Function<Batch, ColumnValues> eval = batch -> ColumnValues.of(batch.vector(index));
        if (schema.field(index).isNullable()
            || type != ColumnType.INT32 && type != ColumnType.INT64 && type != ColumnType.FLOAT64) {
            return BoundExpr.of(type, eval);
        }
        return new BoundExpr.InPlace(type, eval, this) {
            @Override
            public LongRows longRows(final Batch batch) {
                if (type == ColumnType.INT64) {
                    final DirectBuffer values = batch.int64Vector(index).dataBuffer();
                    return row -> values.getLong(row << 3);
                }
                if (type == ColumnType.INT32) {
                    final DirectBuffer values = batch.int32Vector(index).dataBuffer();
                    return row -> values.getInt(row << 2);
                }
                return super.longRows(batch);
            }

            @Override
            public DoubleRows doubleRows(final Batch batch) {
                if (type == ColumnType.FLOAT64) {
                    final DirectBuffer values = batch.float64Vector(index).dataBuffer();
                    return row -> values.getDouble(row << 3);
                }
                return super.doubleRows(batch);
            }
        };
    }

    @Override
    public String toString() {
        return "col('" + name + "')";
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.column(name);
    }
}
