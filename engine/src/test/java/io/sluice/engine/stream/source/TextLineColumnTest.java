package io.sluice.engine.stream.source;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Expr;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.StreamInput;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Text sources name their one column {@code line}, like the dataset examples; the old name fails loudly. */
class TextLineColumnTest {
    private static final Schema LINE = Schema.of(Field.notNull("line", ColumnType.UTF8));

    @Test
    void textSourcesHaveOneUtf8ColumnNamedLine(@TempDir final Path dir) {
        assertEquals(LINE, DirectorySource.textLines("files", dir, 1024).schema());
        assertEquals(LINE, TcpLineSource.builder("socket", "localhost", 9).build().schema());
    }

    @Test
    void theOldColumnNameFailsWhenTheStreamIsDefinedNamingTheSchema(@TempDir final Path dir) {
        try (StreamHarness h = new StreamHarness()) {
            final StreamInput input = h.streaming.input(DirectorySource.textLines("files", dir, 1024));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> h.graph.stream(input).flatMap(Expr.split(col("lines"), " "), "word"));
            assertTrue(ex.getMessage().contains("'lines'") && ex.getMessage().contains("line"), ex.getMessage());
            assertEquals(List.of("word"), List.of(h.graph.stream(input).flatMap(Expr.split(col("line"), " "), "word")
                .schema().field(0).name()));
        }
    }
}
