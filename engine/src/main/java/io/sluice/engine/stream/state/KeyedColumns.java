package io.sluice.engine.stream.state;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.dataset.Rows;
import io.sluice.memory.Batch;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** The key and value columns of a keyed stream's schema: keys by name, values = every other column in order. Immutable. */
final class KeyedColumns {
    private final Schema inputSchema;
    private final int[] keyColumns;
    private final int[] valueColumns;
    private final Schema keySchema;

    KeyedColumns(final Schema inputSchema, final List<String> keyNames) {
        if (keyNames == null || keyNames.isEmpty()) {
            throw new IllegalArgumentException("at least one key column is needed; input schema " + inputSchema);
        }
        this.inputSchema = inputSchema;
        this.keyColumns = new int[keyNames.size()];
        final List<Field> keys = new ArrayList<>();
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = inputSchema.indexOf(keyNames.get(k));
            for (int j = 0; j < k; j++) {
                if (keyColumns[j] == keyColumns[k]) {
                    throw new IllegalArgumentException("key column '" + keyNames.get(k) + "' listed twice in " + keyNames);
                }
            }
            keys.add(inputSchema.field(keyColumns[k]));
        }
        this.keySchema = new Schema(keys);
        this.valueColumns = new int[inputSchema.fieldCount() - keyColumns.length];
        int v = 0;
        for (int c = 0; c < inputSchema.fieldCount(); c++) {
            if (!keyNames.contains(inputSchema.field(c).name())) {
                valueColumns[v++] = c;
            }
        }
    }

    Schema keySchema() {
        return keySchema;
    }

    int[] keyColumns() {
        return keyColumns;
    }

    /** Throws naming both schemas unless {@code batch} has the input schema. */
    void check(final Batch batch, final String operator) {
        if (!batch.schema().equals(inputSchema)) {
            throw new IllegalArgumentException(operator + ": batch schema " + batch.schema() + " differs from the input schema "
                + inputSchema);
        }
    }

    /** The value columns of {@code row}, boxed. */
    Object[] values(final Batch batch, final int row) {
        final Object[] out = new Object[valueColumns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Rows.value(batch.vector(valueColumns[i]), row);
        }
        return out;
    }
}
