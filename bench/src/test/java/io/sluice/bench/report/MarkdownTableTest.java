package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {
    @Test
    void padsColumnsAndRightAlignsNumbers() {
        final String table = MarkdownTable.withHeader("policy", "ms").rightAligned(1)
            .row("static", 1234.5)
            .row("ws", 0.5)
            .render();
        assertEquals(""
            + "| policy |    ms |\n"
            + "| ------ | ----: |\n"
            + "| static | 1,235 |\n"
            + "| ws     |   0.5 |\n", table);
    }

    @Test
    void formatsNumbersForReading() {
        assertEquals("12,346", MarkdownTable.formatNumber(12345.6));
        assertEquals("123.5", MarkdownTable.formatNumber(123.456));
        assertEquals("1.23", MarkdownTable.formatNumber(1.2345));
        assertEquals("0.00123", MarkdownTable.formatNumber(0.0012345));
        assertEquals("0", MarkdownTable.formatNumber(0));
        assertEquals("-2.50", MarkdownTable.formatNumber(-2.5));
        assertEquals("n/a", MarkdownTable.formatNumber(Double.NaN));
    }

    @Test
    void escapesPipesInCells() {
        final String table = MarkdownTable.withHeader("a").row("x|y").render();
        assertEquals("| a    |\n| ---- |\n| x\\|y |\n", table);
    }

    @Test
    void rejectsRowsOfTheWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> MarkdownTable.withHeader("a", "b").row("1"));
    }
}
