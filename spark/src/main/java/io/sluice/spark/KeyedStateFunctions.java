package io.sluice.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongBinaryOperator;

import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;

import io.sluice.engine.stream.state.State;
import io.sluice.engine.stream.state.StateMappingFunction;
import io.sluice.engine.stream.state.StateRows;
import io.sluice.engine.stream.state.StateUpdateFunction;

/**
 * Sluice's keyed-state functions as Spark {@code flatMapGroupsWithState} functions, with Sluice's rules: null keys
 * fail the batch, state and mapped rows are checked against their schemas, a function returning null where Sluice
 * forbids it fails naming the key. Serializable as a whole, so Spark ships the (checked) user function with them.
 */
final class KeyedStateFunctions {
    private KeyedStateFunctions() {
    }

    /** The key columns of an input row (the grouping key of {@code groupByKey}). */
    static final class KeyOf implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final int[] keys;

        KeyOf(final int[] keys) {
            this.keys = keys.clone();
        }

        @Override
        public Row call(final Row row) {
            return RowFactory.create(pick(row, keys));
        }
    }

    static Object[] pick(final Row row, final int[] columns) {
        final Object[] out = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = row.get(columns[i]);
        }
        return out;
    }

    private static Object[] key(final Row key, final String operator) {
        final Object[] k = SparkTypes.toSluice(key);
        for (final Object v : k) {
            if (v == null) {
                throw new IllegalArgumentException(operator + ": null key=" + Arrays.toString(k) + "; keyed state needs non-null keys");
            }
        }
        return k;
    }

    private static Object[] concat(final Object[] a, final Object[] b) {
        final Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * {@code updateStateByKey}: called for every key with rows in the micro-batch, and (through a 1 ms processing-time
     * timeout that every call renews) for every other key holding state, so each micro-batch calls the function for
     * every key that has state or values, as Sluice does each batch time, and emits every key with its new state.
     */
    static final class UpdateByKey implements FlatMapGroupsWithStateFunction<Row, Row, Row, Row> {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // checked serializable at translation (JDK 18+ lint)
        private final StateUpdateFunction function;
        private final SchemaSpec stateSchema;
        private final int[] values;
        private final String operator;

        UpdateByKey(final StateUpdateFunction function, final SchemaSpec stateSchema, final int[] values, final String operator) {
            this.function = function;
            this.stateSchema = stateSchema;
            this.values = values.clone();
            this.operator = operator;
        }

        @Override
        public Iterator<Row> call(final Row keyRow, final Iterator<Row> rows, final GroupState<Row> state) {
            final Object[] key = key(keyRow, operator);
            final List<Object[]> batch = new ArrayList<>();
            while (rows.hasNext()) {
                batch.add(pick(rows.next(), values));
            }
            final Optional<Object[]> previous = state.exists() ? Optional.of(SparkTypes.toSluice(state.get())) : Optional.empty();
            final Optional<Object[]> next = function.update(key, Collections.unmodifiableList(batch), previous);
            if (next == null) {
                throw new IllegalStateException(operator + ": function returned null for key=" + Arrays.toString(key)
                    + "; return Optional.empty() to remove the key");
            }
            if (next.isEmpty()) {
                if (state.exists()) {
                    state.remove();
                }
                return Collections.emptyIterator();
            }
            final Object[] row = next.get().clone();
            StateRows.check(stateSchema.schema(), row, operator + " new state row of key=" + Arrays.toString(key));
            state.update(RowFactory.create(row));
            state.setTimeoutDuration(1);
            return List.of(RowFactory.create(concat(key, row))).iterator();
        }
    }

    /** {@code mapWithState} without timeout: the function per row of the key, the mapped rows out. */
    static final class MapByKey implements FlatMapGroupsWithStateFunction<Row, Row, Row, Row> {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // checked serializable at translation (JDK 18+ lint)
        private final StateMappingFunction function;
        private final SchemaSpec stateSchema;
        private final SchemaSpec mappedSchema;
        private final int[] values;
        private final String operator;

        MapByKey(final StateMappingFunction function, final SchemaSpec stateSchema, final SchemaSpec mappedSchema,
                 final int[] values, final String operator) {
            this.function = function;
            this.stateSchema = stateSchema;
            this.mappedSchema = mappedSchema;
            this.values = values.clone();
            this.operator = operator;
        }

        @Override
        public Iterator<Row> call(final Row keyRow, final Iterator<Row> rows, final GroupState<Row> state) {
            final Object[] key = key(keyRow, operator);
            final KeyState view = new KeyState(state, key, stateSchema, operator);
            final List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                view.removed = false;
                final Object[] mapped = function.map(key, Optional.of(pick(rows.next(), values)), view);
                if (mapped != null) {
                    final Object[] row = mapped.clone();
                    StateRows.check(mappedSchema.schema(), row, operator + " mapped row of key=" + Arrays.toString(key));
                    out.add(RowFactory.create(row));
                }
            }
            return out.iterator();
        }
    }

    /** Sluice's {@link State} over Spark's {@link GroupState}, valid during one call. */
    private static final class KeyState implements State {
        private final GroupState<Row> state;
        private final Object[] key;
        private final SchemaSpec schema;
        private final String operator;
        private boolean removed;

        KeyState(final GroupState<Row> state, final Object[] key, final SchemaSpec schema, final String operator) {
            this.state = state;
            this.key = key;
            this.schema = schema;
            this.operator = operator;
        }

        @Override
        public boolean exists() {
            return state.exists();
        }

        @Override
        public Object[] get() {
            return SparkTypes.toSluice(state.get());
        }

        @Override
        public void update(final Object[] value) {
            if (removed) {
                throw new IllegalStateException("cannot update the state of key=" + Arrays.toString(key)
                    + ": it was removed in this call");
            }
            final Object[] row = value.clone();
            StateRows.check(schema.schema(), row, operator + " new state row of key=" + Arrays.toString(key));
            state.update(RowFactory.create(row));
        }

        @Override
        public void remove() {
            if (removed) {
                throw new IllegalStateException("state of key=" + Arrays.toString(key) + " already removed");
            }
            state.remove();
            removed = true;
        }

        @Override
        public boolean isTimingOut() {
            return false;
        }
    }

    /** {@code mapWithLongState} without timeout: an INT64 state per INT64 key, folded per row, (key, state) out. */
    static final class LongFold implements FlatMapGroupsWithStateFunction<Row, Row, Long, Row> {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // checked serializable at translation (JDK 18+ lint)
        private final LongBinaryOperator fold;
        private final long zero;
        private final int value;
        private final String operator;

        LongFold(final LongBinaryOperator fold, final long zero, final int value, final String operator) {
            this.fold = fold;
            this.zero = zero;
            this.value = value;
            this.operator = operator;
        }

        @Override
        public Iterator<Row> call(final Row keyRow, final Iterator<Row> rows, final GroupState<Long> state) {
            final Object[] key = key(keyRow, operator);
            long current = state.exists() ? state.get() : zero;
            final List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                final Row row = rows.next();
                if (row.isNullAt(value)) {
                    throw new IllegalArgumentException(operator + ": null value for key=" + Arrays.toString(key));
                }
                current = fold.applyAsLong(current, row.getLong(value));
                out.add(RowFactory.create(key[0], current));
            }
            state.update(current);
            return out.iterator();
        }
    }
}
