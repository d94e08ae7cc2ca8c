package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * A column expression: column references, literals, arithmetic, comparisons, three-valued boolean logic, null
 * handling and string functions. Immutable and unbound; {@link Dataset} operators bind it to their input schema
 * when the operator is added, so a type error throws there (naming the expression and types), never at run time.
 * Evaluated a whole column at a time.
 */
public abstract class Expr {
    Expr() {
    }

    /** Type-checks this expression against {@code schema}; throws {@link IllegalArgumentException} naming the types. */
    abstract BoundExpr bind(Schema schema);

    /** The output column name of this expression in a projection, or null if it needs an alias. */
    String outputName() {
        return null;
    }

    /** A reference to the column named {@code name}. */
    public static Expr col(final String name) {
        return new ColumnRef(name);
    }

    /** A literal: Integer (INT32), Long (INT64), Double (FLOAT64), Boolean (BOOLEAN) or String (UTF8). */
    public static Expr lit(final Object value) {
        return Literal.of(value);
    }

    /** A typed null literal. */
    public static Expr nullOf(final ColumnType type) {
        return new Literal(null, type);
    }

    /** The first non-null argument, row by row; all arguments must have the same type (INT32 widens to INT64). */
    public static Expr coalesce(final Expr... args) {
        return new Coalesce(List.of(args));
    }

    /**
     * Searched CASE: per row, the value of the first of {@code values} whose condition in {@code conditions} is true,
     * else {@code otherwise} (use {@link #nullOf} for none).
     */
    public static Expr caseWhen(final List<Expr> conditions, final List<Expr> values, final Expr otherwise) {
        return new CaseWhen(conditions, values, otherwise);
    }

    /**
     * Splits a UTF8 expression into tokens at any of the ASCII characters in {@code delimiters}, dropping empty
     * tokens; only valid as the argument of {@link Dataset#flatMap}.
     */
    public static Expr split(final Expr input, final String delimiters) {
        return new Split(input, delimiters);
    }

    /** This expression under the output name {@code name}. */
    public Expr as(final String name) {
        return new Alias(this, name);
    }

    public Expr plus(final Expr other) {
        return new Arithmetic(Arithmetic.Op.ADD, this, other);
    }

    public Expr minus(final Expr other) {
        return new Arithmetic(Arithmetic.Op.SUB, this, other);
    }

    public Expr times(final Expr other) {
        return new Arithmetic(Arithmetic.Op.MUL, this, other);
    }

    /** Division; integer division by zero gives null, floating-point division follows IEEE 754. */
    public Expr div(final Expr other) {
        return new Arithmetic(Arithmetic.Op.DIV, this, other);
    }

    /** Remainder with the sign of the dividend; integer remainder by zero gives null. */
    public Expr mod(final Expr other) {
        return new Arithmetic(Arithmetic.Op.MOD, this, other);
    }

    public Expr eq(final Expr other) {
        return new Comparison(Comparison.Op.EQ, this, other);
    }

    public Expr ne(final Expr other) {
        return new Comparison(Comparison.Op.NE, this, other);
    }

    public Expr lt(final Expr other) {
        return new Comparison(Comparison.Op.LT, this, other);
    }

    public Expr le(final Expr other) {
        return new Comparison(Comparison.Op.LE, this, other);
    }

    public Expr gt(final Expr other) {
        return new Comparison(Comparison.Op.GT, this, other);
    }

    public Expr ge(final Expr other) {
        return new Comparison(Comparison.Op.GE, this, other);
    }

    /** SQL AND: false if either side is false, else null if either is null, else true. */
    public Expr and(final Expr other) {
        return new Logical(Logical.Op.AND, this, other);
    }

    /** SQL OR: true if either side is true, else null if either is null, else false. */
    public Expr or(final Expr other) {
        return new Logical(Logical.Op.OR, this, other);
    }

    /** SQL NOT: null stays null. */
    public Expr not() {
        return new Logical(Logical.Op.NOT, this, null);
    }

    /** True where the value is null (never null itself). */
    public Expr isNull() {
        return new IsNull(this, true);
    }

    /** True where the value is not null (never null itself). */
    public Expr isNotNull() {
        return new IsNull(this, false);
    }

    /** Length in characters (UTF-16 units) of a UTF8 value, as INT64. */
    public Expr length() {
        return new StringFn(StringFn.Op.LENGTH, this, null, 0, 0);
    }

    public Expr lower() {
        return new StringFn(StringFn.Op.LOWER, this, null, 0, 0);
    }

    public Expr upper() {
        return new StringFn(StringFn.Op.UPPER, this, null, 0, 0);
    }

    /** Characters {@code [start, start + length)} (0-based, clamped to the value). */
    public Expr substring(final int start, final int length) {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("substring start=" + start + " length=" + length + " must be >= 0");
        }
        return new StringFn(StringFn.Op.SUBSTRING, this, null, start, length);
    }

    /** Whether the UTF8 value contains {@code needle} (byte comparison). */
    public Expr contains(final String needle) {
        return new StringFn(StringFn.Op.CONTAINS, this, needle, 0, 0);
    }

    /** Whether the UTF8 value starts with {@code prefix} (byte comparison). */
    public Expr startsWith(final String prefix) {
        return new StringFn(StringFn.Op.STARTS_WITH, this, prefix, 0, 0);
    }

    /** This value converted to {@code type}; see {@link Cast} for the rules (a value that does not convert throws). */
    public Expr cast(final ColumnType type) {
        return new Cast(this, type);
    }

    /**
     * SQL IN over constants (Integer, Long, Double, Boolean, String or null): true on a match, else null if this value
     * or a constant is null, else false.
     */
    public Expr in(final List<?> constants) {
        return new InList(this, new java.util.ArrayList<>(constants));
    }

    /** SQL LIKE: {@code %} any run of characters, {@code _} one character; case-sensitive; no escape character. */
    public Expr like(final String pattern) {
        return new Like(this, pattern, null);
    }

    /** SQL LIKE with an escape character that makes the next pattern character literal. */
    public Expr like(final String pattern, final char escape) {
        return new Like(this, pattern, escape);
    }

    static boolean isNumeric(final ColumnType type) {
        return type == ColumnType.INT32 || type == ColumnType.INT64 || type == ColumnType.FLOAT64;
    }

    /** Calls the {@link ExprVisitor} method describing this node (read-only; for translating backends). */
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.unsupported(this);
    }

    /** The column name a projection gives this expression: a column's own name or its alias; null if it needs one. */
    public String projectedName() {
        return outputName();
    }

    /** The result type of this expression over rows of {@code schema}; throws as an operator would on a type error. */
    public ColumnType typeIn(final Schema schema) {
        return bind(schema).type();
    }
}
