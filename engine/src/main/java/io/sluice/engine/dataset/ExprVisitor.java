package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.ColumnType;

/**
 * A read-only view of one node of an {@link Expr} tree ({@link Expr#accept}), for backends that translate
 * expressions. Operators are named by their constant names: arithmetic {@code ADD SUB MUL DIV}, comparison
 * {@code EQ NE LT LE GT GE}, logical {@code AND OR NOT} (NOT has a null {@code right}), string functions
 * {@code LENGTH LOWER UPPER SUBSTRING CONTAINS STARTS_WITH}; the semantics are those of {@link Expr}'s factories.
 * An expression kind this interface does not describe goes to {@link #unsupported}, which throws by default.
 */
public interface ExprVisitor<R> {
    R column(String name);

    /** A literal; {@code value} is null for a typed null. */
    R literal(Object value, ColumnType type);

    R arithmetic(String op, Expr left, Expr right);

    R comparison(String op, Expr left, Expr right);

    R logical(String op, Expr left, Expr right);

    R isNull(Expr input, boolean isNull);

    R coalesce(List<Expr> args);

    /** {@code pattern} for CONTAINS/STARTS_WITH, {@code start}/{@code length} for SUBSTRING. */
    R stringFn(String op, Expr input, String pattern, int start, int length);

    R split(Expr input, String delimiters);

    R alias(Expr inner, String name);

    /** An expression without a description here. */
    default R unsupported(final Expr expr) {
        throw new UnsupportedOperationException("no description for expression " + expr.getClass().getSimpleName()
            + " (" + expr + ")");
    }
}
