package io.sluice.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void nestsSeparatesAndEscapesSoAParserReadsItBack() {
        final String text = new Json().beginObject().field("name", "a\"b\\c\n<tag>\u0001").field("n", 42L).field("x", 1.5E-4)
            .field("inf", Double.POSITIVE_INFINITY).field("ok", true).name("list").beginArray().value(1L).beginArray().endArray()
            .beginObject().endObject().value((String) null).endArray().name("empty").beginObject().endObject().endObject().toString();
        assertEquals("{\"name\":\"a\\\"b\\\\c\\n\\u003ctag\\u003e\\u0001\",\"n\":42,\"x\":1.5E-4,\"inf\":null,\"ok\":true,"
            + "\"list\":[1,[],{},null],\"empty\":{}}", text);
        final Map<?, ?> parsed = new org.openqa.selenium.json.Json().toType(text, Map.class);
        assertEquals("a\"b\\c\n<tag>\u0001", parsed.get("name"));
        assertEquals(1.5E-4, ((Number) parsed.get("x")).doubleValue());
        assertEquals(4, ((List<?>) parsed.get("list")).size());
    }

    @Test
    void unbalancedUseThrows() {
        assertThrows(IllegalStateException.class, () -> new Json().beginObject().toString());
        assertThrows(IllegalStateException.class, () -> new Json().endArray());
    }
}
