package io.sluice.engine.dataset;

import java.util.Objects;

import io.sluice.memory.Schema;

/** An expression with an output name. */
final class Alias extends Expr {
    private final Expr inner;
    private final String name;

    Alias(final Expr inner, final String name) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.name = Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("alias of " + inner + " must not be empty");
        }
    }

    /** The expression named. */
    Expr inner() {
        return inner;
    }

    @Override
    String outputName() {
        return name;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        return inner.bind(schema);
    }

    @Override
    public String toString() {
        return inner + " AS " + name;
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.alias(inner, name);
    }
}
