package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsvWriterTest {
    @Test
    void quotesOnlyFieldsThatNeedItAndDoublesInnerQuotes() {
        assertEquals("plain", CsvWriter.quote("plain"));
        assertEquals("\"a,b\"", CsvWriter.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvWriter.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvWriter.quote("two\nlines"));
        assertEquals("\"cr\rhere\"", CsvWriter.quote("cr\rhere"));
        assertEquals("", CsvWriter.quote(""));
    }

    @Test
    void writesHeaderAndRowsWithCrlfAndLocaleFreeNumbers() {
        final CsvWriter csv = new CsvWriter("policy", "makespan_ms", "note")
            .row("static", 12.5, null)
            .row("work-stealing", 3.0, "a, b");
        assertEquals("policy,makespan_ms,note\r\nstatic,12.5,\r\nwork-stealing,3,\"a, b\"\r\n", csv.toString());
        assertEquals(2, csv.rowCount());
    }

    @Test
    void rejectsRowsOfTheWrongWidth() {
        final CsvWriter csv = new CsvWriter("a", "b");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> csv.row("only one"));
        assertTrue(ex.getMessage().contains("fields=1") && ex.getMessage().contains("columns=2"), ex.getMessage());
    }
}
