package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.ColumnType;

/**
 * A read-only view of one node of an {@link Expr} tree ({@link Expr#accept}), for backends that translate
 * expressions. Operators are named by their constant names: arithmetic {@code ADD SUB MUL DIV}, comparison
 * {@code EQ NE LT LE GT GE}, logical {@code AND OR NOT} (NOT has a null {@code right}), string functions
 * {@code LENGTH LOWER UPPER SUBSTRING CONTAINS STARTS_WITH}; the semantics are those of {@link Expr}'s factories.
 * An expression kind this interface does not describe goes to {@link #unsupported}, which throws by default; so do
 * the SQL expressions (CASE, CAST, IN, LIKE) for a visitor that does not override their methods.
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

    /** {@link Expr#caseWhen}: {@code values.get(i)} where {@code conditions.get(i)} is the first true one, else {@code otherwise}. */
    default R caseWhen(final List<Expr> conditions, final List<Expr> values, final Expr otherwise) {
        throw new UnsupportedOperationException("no description for CASE with " + conditions.size() + " branches");
    }

    /** {@link Expr#cast}. */
    default R cast(final Expr input, final ColumnType target) {
        throw new UnsupportedOperationException("no description for cast(" + input + " AS " + target + ")");
    }

    /** {@link Expr#in}: {@code constants} as given (Integer, Long, Double, Boolean, String or null). */
    default R in(final Expr input, final List<Object> constants) {
        throw new UnsupportedOperationException("no description for " + input + " IN " + constants);
    }

    /** {@link Expr#like}: {@code escape} is null when the pattern has no escape character. */
    default R like(final Expr input, final String pattern, final Character escape) {
        throw new UnsupportedOperationException("no description for " + input + " LIKE '" + pattern + "'");
    }

    /** An expression without a description here. */
    default R unsupported(final Expr expr) {
        throw new UnsupportedOperationException("no description for expression " + expr.getClass().getSimpleName()
            + " (" + expr + ")");
    }
}
