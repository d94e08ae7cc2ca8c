package io.sluice.memory;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An ordered list of uniquely named fields. Immutable. */
public final class Schema {
    private final List<Field> fields;
    private final Map<String, Integer> indexByName;

    /** A schema of the given fields in order; names must be unique. */
    public Schema(final List<Field> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("schema needs at least one field");
        }
        this.fields = List.copyOf(fields);
        final Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            final Integer previous = index.putIfAbsent(this.fields.get(i).name(), i);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate field name '" + this.fields.get(i).name()
                    + "' at index=" + i + " (first at index=" + previous + ")");
            }
        }
        this.indexByName = Collections.unmodifiableMap(index);
    }

    /** A schema of the given fields in order. */
    public static Schema of(final Field... fields) {
        return new Schema(Arrays.asList(fields));
    }

    public List<Field> fields() {
        return fields;
    }

    public int fieldCount() {
        return fields.size();
    }

    public Field field(final int index) {
        if (index < 0 || index >= fields.size()) {
            throw new IndexOutOfBoundsException("field index=" + index + " out of range [0, " + fields.size() + ")");
        }
        return fields.get(index);
    }

    /** The field named {@code name}; throws if there is none. */
    public Field field(final String name) {
        return fields.get(indexOf(name));
    }

    /** The position of the field named {@code name}; throws if there is none. */
    public int indexOf(final String name) {
        final Integer index = indexByName.get(name);
        if (index == null) {
            throw new IllegalArgumentException("no field named '" + name + "' in schema " + fields);
        }
        return index;
    }

    /** Whether a field is named {@code name}. */
    public boolean contains(final String name) {
        return indexByName.containsKey(name);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Schema && fields.equals(((Schema) o).fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
