package io.sluice.engine.stream.dstream;

import java.util.Objects;
import java.util.function.LongBinaryOperator;

/**
 * How a keyed reduce combines columnar values: a {@link LongBinaryOperator} over one INT64 (or INT32, widened)
 * value column. Null values are skipped, and a key with no non-null value has no output row. The function must
 * be associative and commutative (partial results combine in any order); the result is an INT64 column named
 * {@link #name()}. Shortcuts: {@link #sum} (wrapping addition) and {@link #count} (rows per key, any column).
 * Immutable.
 */
public final class Reducer {
    /** What the reducer computes; SUM and COUNT run as Dataset aggregates, CUSTOM folds the function on the driver. */
    enum Kind { SUM, COUNT, CUSTOM }

    private final Kind kind;
    private final String column;
    private final LongBinaryOperator fn;
    private final String name;

    private Reducer(final Kind kind, final String column, final LongBinaryOperator fn, final String name) {
        this.kind = kind;
        this.column = column;
        this.fn = fn;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Sum of {@code column} per key (wrapping, like {@code long} addition); output "sum_&lt;column&gt;". */
    public static Reducer sum(final String column) {
        return new Reducer(Kind.SUM, Objects.requireNonNull(column, "column"), Long::sum, "sum_" + column);
    }

    /** Rows per key; output "count". */
    public static Reducer count() {
        return new Reducer(Kind.COUNT, null, Long::sum, "count");
    }

    /** {@code fn} folded over the non-null values of {@code column} per key; output named {@code column}. */
    public static Reducer of(final String column, final LongBinaryOperator fn) {
        return new Reducer(Kind.CUSTOM, Objects.requireNonNull(column, "column"), Objects.requireNonNull(fn, "fn"), column);
    }

    /** The same reducer with output column {@code alias}. */
    public Reducer as(final String alias) {
        return new Reducer(kind, column, fn, alias);
    }

    /** The output column name. */
    public String name() {
        return name;
    }

    /** The value column, or null for {@link #count()}. */
    public String column() {
        return column;
    }

    Kind kind() {
        return kind;
    }

    long apply(final long a, final long b) {
        return fn.applyAsLong(a, b);
    }

    @Override
    public String toString() {
        return kind + "(" + (column == null ? "*" : column) + ") AS " + name;
    }
}
