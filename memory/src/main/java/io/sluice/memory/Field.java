package io.sluice.memory;

import java.util.Objects;

/** One named, typed column of a {@link Schema}. Immutable. */
public final class Field {
    private final String name;
    private final ColumnType type;
    private final boolean nullable;

    /** A field; the name must be non-empty. */
    public Field(final String name, final ColumnType type, final boolean nullable) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("field name must not be empty: type=" + type);
        }
        this.name = name;
        this.type = type;
        this.nullable = nullable;
    }

    /** A nullable field. */
    public static Field nullable(final String name, final ColumnType type) {
        return new Field(name, type, true);
    }

    /** A field that rejects nulls. */
    public static Field notNull(final String name, final ColumnType type) {
        return new Field(name, type, false);
    }

    public String name() {
        return name;
    }

    public ColumnType type() {
        return type;
    }

    public boolean isNullable() {
        return nullable;
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof Field)) {
            return false;
        }
        final Field other = (Field) o;
        return name.equals(other.name) && type == other.type && nullable == other.nullable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, nullable);
    }

    @Override
    public String toString() {
        return name + ":" + type + (nullable ? "?" : "");
    }
}
