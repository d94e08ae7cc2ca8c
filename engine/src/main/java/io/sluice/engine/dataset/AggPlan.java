package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The type-checked layout of a group-by: key columns, aggregates, and the partial and final schemas. Without keys it
 * is a global aggregate (SQL's {@code SELECT COUNT(*), SUM(v) FROM t}): one group that exists even for empty input.
 * Immutable. Public so that event-time window aggregation ({@code io.sluice.engine.stream.eventtime}) types its
 * aggregates the same way.
 */
public final class AggPlan {
    private final List<Agg> aggs;
    private final int[] keyColumns;
    private final int[] partialKeyColumns;
    private final int[] inputColumns;
    private final ColumnType[] valueTypes;
    private final Schema keySchema;
    private final Schema partialSchema;
    private final Schema finalSchema;

    public AggPlan(final Schema input, final List<String> keys, final List<Agg> aggs) {
        if (keys.isEmpty() && aggs.isEmpty()) {
            throw new IllegalArgumentException("a global aggregate (groupBy() without keys) needs at least one aggregate");
        }
        this.aggs = List.copyOf(aggs);
        keyColumns = new int[keys.size()];
        partialKeyColumns = new int[keys.size()];
        final List<Field> keyFields = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = input.indexOf(keys.get(k));
            partialKeyColumns[k] = k;
            final Field f = input.field(keyColumns[k]);
            keyFields.add(Field.nullable(f.name(), f.type()));
            names.add(f.name());
        }
        keySchema = keyFields.isEmpty() ? null : new Schema(keyFields);
        inputColumns = new int[aggs.size()];
        valueTypes = new ColumnType[aggs.size()];
        final List<Field> partial = new ArrayList<>(keyFields);
        final List<Field> fin = new ArrayList<>(keyFields);
        for (int a = 0; a < aggs.size(); a++) {
            final Agg agg = aggs.get(a);
            if (!names.add(agg.name())) {
                throw new IllegalArgumentException("aggregate " + agg + " output name '" + agg.name() + "' is already used");
            }
            inputColumns[a] = agg.column() == null ? -1 : input.indexOf(agg.column());
            final ColumnType in = agg.column() == null ? ColumnType.INT64 : input.field(inputColumns[a]).type();
            if (agg.fn() != Agg.Fn.COUNT && !Expr.isNumeric(in)) {
                throw new IllegalArgumentException("aggregate " + agg + " needs a numeric column: '" + agg.column()
                    + "' has type=" + in);
            }
            valueTypes[a] = agg.fn() == Agg.Fn.AVG || in == ColumnType.FLOAT64 ? ColumnType.FLOAT64 : ColumnType.INT64;
            partial.add(Field.notNull("_v" + a, valueTypes[a]));
            partial.add(Field.notNull("_n" + a, ColumnType.INT64));
            final ColumnType out;
            switch (agg.fn()) {
                case COUNT:
                    out = ColumnType.INT64;
                    break;
                case AVG:
                    out = ColumnType.FLOAT64;
                    break;
                case SUM:
                    out = valueTypes[a];
                    break;
                default:
                    out = in;
                    break;
            }
            fin.add(Field.nullable(agg.name(), out));
        }
        partialSchema = new Schema(partial);
        finalSchema = new Schema(fin);
    }

    public List<Agg> aggs() {
        return aggs;
    }

    int[] keyColumns() {
        return keyColumns;
    }

    int[] partialKeyColumns() {
        return partialKeyColumns;
    }

    List<String> keyNames() {
        final List<String> out = new ArrayList<>();
        for (final Field f : global() ? List.<Field>of() : keySchema.fields()) {
            out.add(f.name());
        }
        return out;
    }

    /** Whether this is a global aggregate: no keys, and exactly one group even when no row arrives. */
    boolean global() {
        return keyColumns.length == 0;
    }

    /** Input column of aggregate {@code a} in update mode, -1 for COUNT(*). */
    public int inputColumn(final int a) {
        return inputColumns[a];
    }

    /** Accumulator type of aggregate {@code a}: INT64 or FLOAT64. */
    public ColumnType valueType(final int a) {
        return valueTypes[a];
    }

    /** Column of {@code _v<a>} in a partial batch ({@code _n<a>} follows it). */
    int partialValueColumn(final int a) {
        return keyColumns.length + 2 * a;
    }

    /** The key columns' schema; null for a {@link #global()} aggregate (a schema has at least one field). */
    public Schema keySchema() {
        return keySchema;
    }

    Schema partialSchema() {
        return partialSchema;
    }

    public Schema finalSchema() {
        return finalSchema;
    }
}
