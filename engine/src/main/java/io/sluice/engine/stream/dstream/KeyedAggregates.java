package io.sluice.engine.stream.dstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.Expr;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Per-key aggregates of a {@link Reducer} on the driver: key tuple (boxed column values) -> {value, count of
 * non-null values}. SUM and COUNT are first aggregated by the Dataset engine (partial per partition, exchange,
 * final), so only one row per key reaches the driver; a custom function folds the selected rows.
 */
final class KeyedAggregates {
    private static final String VALUE = "__reduce_value";
    private static final String COUNT = "__reduce_count";

    private KeyedAggregates() {
    }

    /** The output schema (the key fields, then the INT64 value); validates keys and the value column. */
    static Schema outputSchema(final Schema in, final List<String> keys, final Reducer reducer) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("reduce by key needs at least one key column; schema=" + in);
        }
        final List<Field> fields = new ArrayList<>();
        for (final String key : keys) {
            if (!in.contains(key)) {
                throw new IllegalArgumentException("key column '" + key + "' not in schema=" + in);
            }
            fields.add(in.field(key));
        }
        if (reducer.column() != null) {
            if (!in.contains(reducer.column())) {
                throw new IllegalArgumentException("reducer column '" + reducer.column() + "' not in schema=" + in);
            }
            final ColumnType type = in.field(reducer.column()).type();
            if (type != ColumnType.INT64 && type != ColumnType.INT32) {
                throw new IllegalArgumentException("reducer column '" + reducer.column() + "' has type=" + type
                    + ", expected INT64 or INT32");
            }
        }
        if (keys.contains(reducer.name())) {
            throw new IllegalArgumentException("reducer output '" + reducer.name() + "' clashes with a key column " + keys);
        }
        if (keys.contains(VALUE) || keys.contains(COUNT)) {
            throw new IllegalArgumentException("key columns " + keys + " use a name reserved for the reduce's own columns ('"
                + VALUE + "', '" + COUNT + "'): rename the column first");
        }
        fields.add(Field.notNull(reducer.name(), ColumnType.INT64));
        return new Schema(fields);
    }

    /** The aggregates of {@code dataset}: key -> {value, count}; keys without a non-null value are absent. */
    static Map<List<Object>, long[]> fold(final Dataset dataset, final List<String> keys, final Reducer reducer) {
        final String[] k = keys.toArray(new String[0]);
        final int n = k.length;
        final Map<List<Object>, long[]> out = new HashMap<>();
        switch (reducer.kind()) {
            case SUM:
                for (final Object[] row : dataset.groupBy(k).agg(Agg.sum(reducer.column()).as(VALUE),
                    Agg.count(reducer.column()).as(COUNT)).collect()) {
                    final long count = (Long) row[n + 1];
                    if (count > 0) {
                        out.put(key(row, n), new long[] {(Long) row[n], count});
                    }
                }
                return out;
            case COUNT:
                for (final Object[] row : dataset.groupBy(k).agg(Agg.count().as(COUNT)).collect()) {
                    final long count = (Long) row[n];
                    out.put(key(row, n), new long[] {count, count});
                }
                return out;
            case CUSTOM:
                final String[] columns = Arrays.copyOf(k, n + 1);
                columns[n] = reducer.column();
                for (final Object[] row : dataset.select(columns).collect()) {
                    if (row[n] == null) {
                        continue;
                    }
                    final long value = ((Number) row[n]).longValue();
                    final List<Object> key = key(row, n);
                    final long[] acc = out.get(key);
                    if (acc == null) {
                        out.put(key, new long[] {value, 1});
                    } else {
                        acc[0] = reducer.apply(acc[0], value);
                        acc[1]++;
                    }
                }
                return out;
            default:
                throw new IllegalStateException("reducer kind=" + reducer.kind());
        }
    }

    /**
     * One batch of {@code output} (the keys, then the INT64 value) holding SUM or COUNT per key of {@code dataset},
     * without a boxed row: the Dataset engine aggregates (partial per partition, exchange, final), the groups
     * without a non-null value are filtered out there, and the key and value columns are copied a column at a time
     * into the caller's batch.
     */
    static Batch reduceColumnar(final BufferAllocator allocator, final Schema output, final Dataset dataset,
                                final List<String> keys, final Reducer reducer) {
        final String[] k = keys.toArray(new String[0]);
        final Dataset grouped = switch (reducer.kind()) {
            case SUM -> dataset.groupBy(k).agg(Agg.sum(reducer.column()).as(VALUE), Agg.count(reducer.column()).as(COUNT))
                .filter(Expr.col(COUNT).gt(Expr.lit(0L)));
            case COUNT -> dataset.groupBy(k).agg(Agg.count().as(VALUE));
            default -> throw new IllegalArgumentException("reducer kind=" + reducer.kind() + " is not columnar");
        };
        final List<Batch> parts = DatasetBatches.materialize(grouped);
        try (BatchBuilder builder = new BatchBuilder(allocator, output, rowCount(parts))) {
            for (final Batch part : parts) {
                // the value column was written by the aggregate, never null after the filter: checked as it is copied
                for (int c = 0; c <= k.length; c++) {
                    builder.appendColumn(c, part.vector(c));
                }
            }
            return builder.build();
        } finally {
            Batch.releaseAll(parts);
        }
    }

    private static int rowCount(final List<Batch> parts) {
        long rows = 0;
        for (final Batch part : parts) {
            rows += part.rowCount();
        }
        return (int) Math.min(rows, Integer.MAX_VALUE);
    }

    /**
     * The first {@code n} values of {@code row} as a map key, with a FLOAT64 -0.0 made 0.0: {@code Double.equals} tells
     * them apart, while the Dataset engine's grouping (and SQL) takes them as one key, so one window's keys would
     * otherwise split by sign.
     */
    private static List<Object> key(final Object[] row, final int n) {
        final Object[] key = Arrays.copyOf(row, n);
        for (int i = 0; i < n; i++) {
            if (key[i] instanceof Double d && d == 0.0) {
                key[i] = 0.0;
            }
        }
        return Arrays.asList(key);
    }

    /** Adds {@code part} into {@code into} with the reducer. */
    static void add(final Map<List<Object>, long[]> into, final Map<List<Object>, long[]> part, final Reducer reducer) {
        for (final Map.Entry<List<Object>, long[]> e : part.entrySet()) {
            final long[] acc = into.get(e.getKey());
            if (acc == null) {
                into.put(e.getKey(), e.getValue().clone());
            } else {
                acc[0] = reducer.apply(acc[0], e.getValue()[0]);
                acc[1] += e.getValue()[1];
            }
        }
    }

    /**
     * Removes {@code part} from {@code from} with {@code inverse}; a key whose count reaches 0 is dropped, or with
     * {@code keepEmpty} kept with its inverse-reduced value (as Spark does).
     */
    static void subtract(final Map<List<Object>, long[]> from, final Map<List<Object>, long[]> part,
                         final LongBinaryOperator inverse, final boolean keepEmpty) {
        for (final Map.Entry<List<Object>, long[]> e : part.entrySet()) {
            final long[] acc = from.get(e.getKey());
            if (acc == null || acc[1] < e.getValue()[1]) {
                throw new IllegalStateException("inverse reduce of key=" + e.getKey() + " count=" + e.getValue()[1]
                    + " leaving a window that holds count=" + (acc == null ? 0 : acc[1]));
            }
            acc[1] -= e.getValue()[1];
            if (acc[1] == 0 && !keepEmpty) {
                from.remove(e.getKey());
            } else {
                acc[0] = inverse.applyAsLong(acc[0], e.getValue()[0]);
            }
        }
    }

    /** The schema of a snapshot of aggregates: the output schema's keys, then value and count (INT64). */
    static Schema partialSchema(final Schema output) {
        final List<Field> fields = new ArrayList<>(output.fields().subList(0, output.fieldCount() - 1));
        fields.add(Field.notNull(VALUE, ColumnType.INT64));
        fields.add(Field.notNull(COUNT, ColumnType.INT64));
        return new Schema(fields);
    }

    /** Aggregates as one batch of {@link #partialSchema} (keys, value, count); the caller owns it. */
    static Batch toPartialBatch(final BufferAllocator allocator, final Schema partial, final Map<List<Object>, long[]> aggregates) {
        final List<Object[]> rows = new ArrayList<>(aggregates.size());
        final int keys = partial.fieldCount() - 2;
        for (final Map.Entry<List<Object>, long[]> e : aggregates.entrySet()) {
            final Object[] row = e.getKey().toArray(new Object[keys + 2]);
            row[keys] = e.getValue()[0];
            row[keys + 1] = e.getValue()[1];
            rows.add(row);
        }
        return DatasetBatches.fromRows(allocator, partial, rows);
    }

    /** The inverse of {@link #toPartialBatch}: rows of {@code partial} (keys, value, count) back to aggregates. */
    static Map<List<Object>, long[]> fromPartialRows(final List<Object[]> rows) {
        final Map<List<Object>, long[]> out = new HashMap<>();
        for (final Object[] row : rows) {
            final int keys = row.length - 2;
            out.put(Arrays.asList(Arrays.copyOf(row, keys)), new long[] {(Long) row[keys], (Long) row[keys + 1]});
        }
        return out;
    }

    /** One batch of the aggregates (keys, then value) whose value passes {@code keep}; the caller owns it. */
    static Batch toBatch(final BufferAllocator allocator, final Schema schema, final Map<List<Object>, long[]> aggregates,
                         final LongPredicate keep) {
        final List<Object[]> rows = new ArrayList<>(aggregates.size());
        for (final Iterator<Map.Entry<List<Object>, long[]>> it = aggregates.entrySet().iterator(); it.hasNext();) {
            final Map.Entry<List<Object>, long[]> e = it.next();
            if (!keep.test(e.getValue()[0])) {
                continue;
            }
            final Object[] row = e.getKey().toArray(new Object[schema.fieldCount()]);
            row[schema.fieldCount() - 1] = e.getValue()[0];
            rows.add(row);
        }
        return DatasetBatches.fromRows(allocator, schema, rows);
    }
}
