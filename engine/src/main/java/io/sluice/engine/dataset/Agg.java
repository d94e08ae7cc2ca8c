package io.sluice.engine.dataset;

import java.util.Objects;

/** One aggregate of a {@link GroupedDataset}: count, sum, min, max or avg over a column. Immutable. */
public final class Agg {
    /** Aggregate functions. */
    public enum Fn {
        COUNT, SUM, MIN, MAX, AVG
    }

    private final Fn fn;
    private final String column;
    private final String name;

    private Agg(final Fn fn, final String column, final String name) {
        this.fn = fn;
        this.column = column;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** COUNT(*): rows per group, as INT64, named "count". */
    public static Agg count() {
        return new Agg(Fn.COUNT, null, "count");
    }

    /** COUNT(column): non-null values per group. */
    public static Agg count(final String column) {
        return new Agg(Fn.COUNT, column, "count_" + column);
    }

    /** SUM of a numeric column: INT64 for integer columns (wrapping), FLOAT64 for FLOAT64; null if no value. */
    public static Agg sum(final String column) {
        return new Agg(Fn.SUM, column, "sum_" + column);
    }

    /** MIN of a numeric column, same type; null if no value. */
    public static Agg min(final String column) {
        return new Agg(Fn.MIN, column, "min_" + column);
    }

    /** MAX of a numeric column, same type; null if no value. */
    public static Agg max(final String column) {
        return new Agg(Fn.MAX, column, "max_" + column);
    }

    /** AVG of a numeric column as FLOAT64; null if no value. */
    public static Agg avg(final String column) {
        return new Agg(Fn.AVG, column, "avg_" + column);
    }

    /** The same aggregate under output name {@code alias}. */
    public Agg as(final String alias) {
        return new Agg(fn, column, alias);
    }

    public Fn fn() {
        return fn;
    }

    /** The input column, or null for COUNT(*). */
    public String column() {
        return column;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return fn + "(" + (column == null ? "*" : column) + ") AS " + name;
    }
}
