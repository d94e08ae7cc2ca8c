package io.sluice.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a measurement ran on: cores, CPU model, memory, OS and kernel, JDK, the JVM flags of the measured JVMs, the
 * git commit (and whether the tree had uncommitted changes) and the date. Immutable.
 */
public final class MachineInfo {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final long GIT_TIMEOUT_SECONDS = 10;
    private static final long KIB = 1024;

    private final int cores;
    private final String cpuModel;
    private final long memoryBytes;
    private final String os;
    private final String jdk;
    private final List<String> jvmFlags;
    private final Optional<String> gitCommit;
    private final boolean gitDirty;
    private final ZonedDateTime date;

    /** All fields explicit, for tests and for reports rebuilt from stored data. */
    public MachineInfo(final int cores, final String cpuModel, final long memoryBytes, final String os, final String jdk,
                       final List<String> jvmFlags, final Optional<String> gitCommit, final boolean gitDirty,
                       final ZonedDateTime date) {
        this.cores = cores;
        this.cpuModel = cpuModel;
        this.memoryBytes = memoryBytes;
        this.os = os;
        this.jdk = jdk;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.gitCommit = gitCommit;
        this.gitDirty = gitDirty;
        this.date = date;
    }

    /**
     * Describes this machine and JVM now. {@code jvmFlags} are the flags of the JVMs that did the measuring (the JMH
     * forks, say), which may differ from this JVM's; {@code repo} is where git is asked for the commit.
     */
    public static MachineInfo detect(final Path repo, final List<String> jvmFlags) {
        final String os = System.getProperty("os.name") + " " + System.getProperty("os.version")
            + " (" + System.getProperty("os.arch") + ")";
        final String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
            + " " + System.getProperty("java.runtime.version");
        final Optional<String> commit = git(repo, "rev-parse", "HEAD").map(String::trim).filter(s -> !s.isEmpty());
        // Untracked files (such as the report being written) do not make a measured tree dirty; edits do.
        final boolean dirty = commit.isPresent()
            && git(repo, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isBlank()).orElse(false);
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(readLines(CPUINFO)),
            memoryBytes(readLines(MEMINFO)), os, jdk, jvmFlags, commit, dirty, ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** As {@link #detect(Path, List)} with this JVM's own input arguments as the flags. */
    public static MachineInfo detect(final Path repo) {
        return detect(repo, ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The {@code model name} of the first processor in {@code /proc/cpuinfo} lines, or {@code unknown}. */
    static String cpuModel(final List<String> cpuinfo) {
        for (final String line : cpuinfo) {
            final int colon = line.indexOf(':');
            if (colon > 0) {
                final String key = line.substring(0, colon).trim();
                // x86 says "model name"; some ARM kernels only say "Hardware" or "Processor".
                if (key.equals("model name") || key.equals("Hardware") || key.equals("Processor")) {
                    return line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                }
            }
        }
        return "unknown";
    }

    /** {@code MemTotal} of {@code /proc/meminfo} lines in bytes, or -1 when absent. */
    static long memoryBytes(final List<String> meminfo) {
        for (final String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                final String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    final long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * KIB : value;
                } catch (final NumberFormatException ex) {
                    return -1;
                }
            }
        }
        return -1;
    }

    public int cores() {
        return cores;
    }

    public String cpuModel() {
        return cpuModel;
    }

    /** Physical memory in bytes, -1 if unknown. */
    public long memoryBytes() {
        return memoryBytes;
    }

    public String os() {
        return os;
    }

    public String jdk() {
        return jdk;
    }

    public List<String> jvmFlags() {
        return jvmFlags;
    }

    public Optional<String> gitCommit() {
        return gitCommit;
    }

    public boolean gitDirty() {
        return gitDirty;
    }

    public ZonedDateTime date() {
        return date;
    }

    /** A markdown bullet list, one fact a line, ending with a newline. */
    public String toMarkdown() {
        final StringBuilder out = new StringBuilder();
        out.append("- **machine**: ").append(cores).append(" cores, ").append(cpuModel).append(", ")
            .append(memoryBytes < 0 ? "memory unknown" : String.format(Locale.ROOT, "%.1f GiB memory",
                memoryBytes / (double) (KIB * KIB * KIB)))
            .append('\n');
        out.append("- **OS**: ").append(os).append('\n');
        out.append("- **JDK**: ").append(jdk).append('\n');
        out.append("- **JVM flags**: ").append(jvmFlags.isEmpty() ? "(none)" : "`" + String.join(" ", jvmFlags) + "`")
            .append('\n');
        out.append("- **git commit**: ").append(gitCommit.map(c -> "`" + c + "`" + (gitDirty ? " (with uncommitted changes)" : ""))
            .orElse("unknown (not a git checkout)")).append('\n');
        out.append("- **date**: ").append(date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        return out.toString();
    }

    @Override
    public String toString() {
        return toMarkdown();
    }

    private static List<String> readLines(final Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            return List.of();
        }
    }

    private static Optional<String> git(final Path repo, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add("git");
        command.add("-C");
        command.add(repo.toString());
        command.addAll(List.of(args));
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (final IOException ex) {
            return Optional.empty();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
