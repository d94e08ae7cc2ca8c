package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchemaTest {
    @Test
    void looksUpFieldsByNameAndIndex() {
        final Schema schema = Schema.of(Field.notNull("id", ColumnType.INT64), Field.nullable("name", ColumnType.UTF8));
        assertEquals(2, schema.fieldCount());
        assertEquals(1, schema.indexOf("name"));
        assertEquals(ColumnType.UTF8, schema.field("name").type());
        assertTrue(schema.field(1).isNullable());
        assertFalse(schema.field("id").isNullable());
        assertTrue(schema.contains("id"));
        assertFalse(schema.contains("missing"));
    }

    @Test
    void rejectsDuplicateNames() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Schema.of(Field.notNull("a", ColumnType.INT32), Field.nullable("a", ColumnType.UTF8)));
        assertTrue(ex.getMessage().contains("duplicate field name 'a'"), ex.getMessage());
    }

    @Test
    void rejectsEmptyNames() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Field.notNull("", ColumnType.INT32));
        assertTrue(ex.getMessage().contains("must not be empty"), ex.getMessage());
    }

    @Test
    void unknownNameIsNamedInTheError() {
        final Schema schema = Schema.of(Field.notNull("id", ColumnType.INT64));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> schema.indexOf("price"));
        assertTrue(ex.getMessage().contains("'price'"), ex.getMessage());
    }

    @Test
    void columnTypeCodesRoundTrip() {
        for (final ColumnType type : ColumnType.values()) {
            assertEquals(type, ColumnType.fromCode(type.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> ColumnType.fromCode(99));
    }
}
