package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFolderTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir
    Path root;

    @Test
    void firstFolderOfADayHasNoSuffixAndLaterOnesCountUp() throws Exception {
        final ReportFolder first = ReportFolder.create(root, "bench", DAY);
        first.write("README.md", "first");
        final ReportFolder second = ReportFolder.create(root, "bench", DAY);
        final ReportFolder third = ReportFolder.create(root, "bench", DAY);
        assertEquals(root.resolve("2026-11-24-bench"), first.path());
        assertEquals(root.resolve("2026-11-24-bench-2"), second.path());
        assertEquals(root.resolve("2026-11-24-bench-3"), third.path());
        assertEquals("first", Files.readString(first.resolve("README.md")), "an earlier report is never overwritten");
    }

    @Test
    void createsMissingRootAndWritesFiles() throws Exception {
        final ReportFolder folder = ReportFolder.create(root.resolve("a/b"), "bench-quick", DAY);
        final Path file = folder.write("results.csv", "x\r\n");
        assertTrue(Files.isDirectory(folder.path()));
        assertEquals("x\r\n", Files.readString(file));
    }

    @Test
    void rejectsNamesThatCouldEscapeTheFolder() {
        assertThrows(IllegalArgumentException.class, () -> ReportFolder.create(root, "../x", DAY));
        assertThrows(IllegalArgumentException.class, () -> ReportFolder.create(root, "Bench", DAY));
        final ReportFolder folder = ReportFolder.create(root, "bench", DAY);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> folder.resolve("../x"));
        assertTrue(ex.getMessage().contains("'../x'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> folder.resolve(".hidden"));
    }
}
