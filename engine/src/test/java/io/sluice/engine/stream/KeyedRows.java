package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.sluice.engine.dataset.Rows;
import io.sluice.engine.stream.state.StateRows;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Test helper: key shapes (one INT64, one INT32, one UTF8 with non-ASCII text, INT32 + UTF8), random keys, batches of boxed rows. */
public enum KeyedRows {
    LONG_KEY(Field.notNull("k", ColumnType.INT64)),
    INT_KEY(Field.notNull("k", ColumnType.INT32)),
    TEXT_KEY(Field.nullable("k", ColumnType.UTF8)),
    INT_AND_TEXT_KEY(Field.notNull("k", ColumnType.INT32), Field.notNull("k2", ColumnType.UTF8));

    private static final String[] WORDS = {"a", "é", "ключ", "键", "🔑", "naïve", "", "ab", "b", "Straße", "a\u0000b", "zz"};

    private final Field[] keyFields;

    KeyedRows(final Field... keyFields) {
        this.keyFields = keyFields;
    }

    public Schema keySchema() {
        return Schema.of(keyFields);
    }

    public List<String> keyNames() {
        final List<String> names = new ArrayList<>();
        for (final Field f : keyFields) {
            names.add(f.name());
        }
        return names;
    }

    /** Indexes of the key columns in {@code input}. */
    public int[] keyColumnsIn(final Schema input) {
        final int[] cols = new int[keyFields.length];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = input.indexOf(keyFields[k].name());
        }
        return cols;
    }

    /** Key columns then {@code values}. */
    public Schema inputSchema(final Field... values) {
        final List<Field> fields = new ArrayList<>(Arrays.asList(keyFields));
        fields.addAll(Arrays.asList(values));
        return new Schema(fields);
    }

    /** One of about {@code distinct} keys. */
    public List<Object> randomKey(final Random random, final int distinct) {
        final int id = random.nextInt(distinct);
        final List<Object> key = new ArrayList<>();
        for (final Field f : keyFields) {
            switch (f.type()) {
                case INT64:
                    key.add((long) id * 1_000_003L - 7);
                    break;
                case INT32:
                    key.add(id % 5 - 2);
                    break;
                default:
                    key.add(WORDS[id % WORDS.length] + (id / WORDS.length == 0 ? "" : "#" + id / WORDS.length));
                    break;
            }
        }
        if (keyFields.length == 1 && keyFields[0].type() == ColumnType.INT32) {
            key.set(0, id * 31 - 100);
        }
        return key;
    }

    public static Batch batch(final BufferAllocator allocator, final Schema schema, final List<Object[]> rows) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, rows.size())) {
            for (final Object[] row : rows) {
                StateRows.check(schema, row, "test row");
                StateRows.set(builder, 0, row);
                builder.endRow();
            }
            return builder.build();
        }
    }

    public static List<Object[]> rows(final Batch batch) {
        final List<Object[]> out = new ArrayList<>();
        for (int r = 0; r < batch.rowCount(); r++) {
            final Object[] row = new Object[batch.columnCount()];
            for (int c = 0; c < row.length; c++) {
                row[c] = Rows.value(batch.vector(c), r);
            }
            out.add(row);
        }
        return out;
    }

    public static Object[] concat(final List<Object> key, final Object... rest) {
        final Object[] row = new Object[key.size() + rest.length];
        for (int i = 0; i < key.size(); i++) {
            row[i] = key.get(i);
        }
        System.arraycopy(rest, 0, row, key.size(), rest.length);
        return row;
    }
}
