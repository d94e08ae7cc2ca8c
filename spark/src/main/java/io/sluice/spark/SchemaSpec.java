package io.sluice.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** A Sluice schema in serializable form, shipped to Spark tasks that build or read Sluice batches. Immutable. */
final class SchemaSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String[] names;
    private final ColumnType[] types;
    private final boolean[] nullable;

    SchemaSpec(final Schema schema) {
        final int n = schema.fieldCount();
        names = new String[n];
        types = new ColumnType[n];
        nullable = new boolean[n];
        for (int i = 0; i < n; i++) {
            names[i] = schema.field(i).name();
            types[i] = schema.field(i).type();
            nullable[i] = schema.field(i).isNullable();
        }
    }

    Schema schema() {
        final List<Field> fields = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            fields.add(new Field(names[i], types[i], nullable[i]));
        }
        return new Schema(fields);
    }
}
