package io.sluice.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** {@code scripts/sql}: folders of batch files and Arrow data as tables, the printed table, --explain, and the exit codes. */
class SqlShellTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args) {
        out.reset();
        err.reset();
        return SqlShell.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path writeWords(final Path dir) {
        final Path words = dir.resolve("words");
        try (ExecutionContext ctx = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.STATIC,
            FaultInjection.none()))) {
            ctx.fromRows(Schema.of(Field.notNull("word", ColumnType.UTF8)),
                List.of(new Object[] {"to"}, new Object[] {"be"}, new Object[] {"or"}, new Object[] {"not"},
                    new Object[] {"to"}, new Object[] {"be"}), 3).write(words);
        }
        return words;
    }

    @Test
    void printsTheResultAsATable(@TempDir final Path dir) {
        final Path words = writeWords(dir);
        assertEquals(0, run("--table", "words=" + words, "--workers", "2",
            "select word, count(*) as n from words group by word order by n desc, word limit 3"), err.toString());
        assertEquals("word | n\n---- | -\nbe   | 2\nto   | 2\nnot  | 1\n(3 rows)\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readsArrowFilesAndFoldersOfArrowParts(@TempDir final Path dir) {
        final Path parts = dir.resolve("arrow");
        try (ExecutionContext ctx = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.STATIC,
            FaultInjection.none()))) {
            ctx.fromRows(Schema.of(Field.notNull("word", ColumnType.UTF8)),
                List.of(new Object[] {"to"}, new Object[] {"be"}, new Object[] {"or"}, new Object[] {"not"},
                    new Object[] {"to"}, new Object[] {"be"}), 3).writeArrow(parts);
        }
        final String query = "select word, count(*) as n from words group by word order by n desc, word limit 3";
        final String expected = "word | n\n---- | -\nbe   | 2\nto   | 2\nnot  | 1\n(3 rows)\n";
        assertEquals(0, run("--table", "words=" + parts, query), err.toString());
        assertEquals(expected, out.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("--table", "words=" + parts.resolve("part-00000.arrow"), "select count(*) as n from words"),
            err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("n\n-\n"), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("--table", "words=" + dir.resolve("missing.arrow"), query));
        assertTrue(err.toString().contains("neither a folder nor an .arrow file"), err.toString());
    }

    @Test
    void explainPrintsThePlan(@TempDir final Path dir) {
        final Path words = writeWords(dir);
        assertEquals(0, run("--table", "words=" + words, "--explain", "select word from words where word like 'b%'"));
        final String plan = out.toString(StandardCharsets.UTF_8);
        assertTrue(plan.contains("Filter starts_with(col('word'), 'b')") && plan.contains("Scan words"), plan);
    }

    @Test
    void badArgumentsExitTwoAndQueryErrorsExitOne(@TempDir final Path dir) {
        assertEquals(2, run("--table", "words", "select 1"));
        assertTrue(err.toString().contains("--table needs name=path"), err.toString());
        assertEquals(2, run("--table", "w=" + dir.resolve("missing"), "select 1"));
        assertTrue(err.toString().contains("neither a folder nor an .arrow file"), err.toString());
        assertEquals(2, run("--workers", "0", "select 1"));
        assertEquals(2, run("--table", "w=" + dir, "select 1"));
        assertTrue(err.toString().contains("--table w=") && err.toString().contains("no part-*.sbf"), err.toString());
        assertEquals(1, run("select * from nowhere"));
        assertTrue(err.toString().contains("nowhere") && err.toString().contains("line 1, column 15"), err.toString());
    }
}
