package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MachineInfoTest {
    @Test
    void readsCpuModelAndMemoryFromProcFiles() {
        assertEquals("Intel(R) Xeon(R) CPU @ 2.20GHz", MachineInfo.cpuModel(List.of(
            "processor\t: 0", "vendor_id\t: GenuineIntel", "model name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz")));
        assertEquals("unknown", MachineInfo.cpuModel(List.of("processor : 0")));
        assertEquals(16_384_000L * 1024, MachineInfo.memoryBytes(List.of("MemTotal:       16384000 kB", "MemFree: 1 kB")));
        assertEquals(-1, MachineInfo.memoryBytes(List.of()));
    }

    @Test
    void rendersEveryFactAsMarkdown() {
        final MachineInfo info = new MachineInfo(2, "Test CPU", 8L << 30, "Linux 6.1 (amd64)", "Acme JDK 17",
            List.of("--add-opens=x"), Optional.of("abc123"), true, ZonedDateTime.of(2026, 11, 24, 15, 0, 0, 0, ZoneOffset.UTC));
        final String md = info.toMarkdown();
        assertTrue(md.contains("2 cores, Test CPU, 8.0 GiB memory"), md);
        assertTrue(md.contains("Linux 6.1"), md);
        assertTrue(md.contains("Acme JDK 17"), md);
        assertTrue(md.contains("`--add-opens=x`"), md);
        assertTrue(md.contains("`abc123` (with uncommitted changes)"), md);
        assertTrue(md.contains("2026-11-24T15:00:00Z"), md);
    }

    @Test
    void detectsThisMachine() {
        final MachineInfo info = MachineInfo.detect(Path.of("."), List.of());
        assertEquals(Runtime.getRuntime().availableProcessors(), info.cores());
        assertTrue(info.jdk().contains(System.getProperty("java.runtime.version")), info.jdk());
        assertTrue(info.toMarkdown().contains("(none)"));
    }

    @Test
    void outsideAGitCheckoutTheCommitIsUnknown(@org.junit.jupiter.api.io.TempDir final Path dir) {
        final MachineInfo info = MachineInfo.detect(dir, List.of());
        assertEquals(Optional.empty(), info.gitCommit());
        assertTrue(info.toMarkdown().contains("unknown (not a git checkout)"));
    }
}
