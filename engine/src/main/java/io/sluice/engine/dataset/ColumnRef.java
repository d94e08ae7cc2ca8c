package io.sluice.engine.dataset;

import java.util.Objects;

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
        return BoundExpr.of(type, batch -> ColumnValues.of(batch.vector(index)));
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
