package io.sluice.nexmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * How much the JVM's JIT compilers have worked so far. On Linux: the CPU time of the compiler threads ("C1
 * CompilerThread", "C2 CompilerThread"), summed from {@code /proc/self/task/<tid>/stat} in clock ticks of 10 ms
 * (Linux's fixed user HZ of 100); a compiler thread that ended took its time with it, so {@code scripts/nexmark} keeps
 * them alive ({@code -XX:-UseDynamicNumberOfCompilerThreads}). Elsewhere: the JVM's {@link CompilationMXBean} total,
 * which adds up how long each compilation took on the clock, not its CPU time: with more runnable threads than cores
 * it reads several times the compilers' CPU time.
 */
final class JitCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** Fields of {@code stat} after the ")" that closes the thread's name: utime is the 12th, stime the 13th. */
    private static final int UTIME = 11;
    private static final int STIME = 12;

    private JitCpu() {
    }

    /** Whether {@link #nanos} is the compiler threads' CPU time (true) or the JVM's elapsed compilation time. */
    static boolean isCpuTime() {
        return Files.isDirectory(TASKS);
    }

    /** The JIT compilers' work so far, in nanoseconds (see {@link #isCpuTime}); 0 where neither source exists. */
    static long nanos() {
        if (isCpuTime()) {
            return compilerThreadTicks() * NANOS_PER_TICK;
        }
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() * 1_000_000L : 0;
    }

    private static long compilerThreadTicks() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (final Path task : tasks) {
                ticks += compilerTicks(task);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("reading " + TASKS, e);
        }
        return ticks;
    }

    /** utime + stime of {@code task} if it is a compiler thread; 0 for any other thread, or one that just ended. */
    private static long compilerTicks(final Path task) throws IOException {
        final String stat;
        try {
            final String name = Files.readString(task.resolve("comm")).trim();
            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                return 0;
            }
            stat = Files.readString(task.resolve("stat"));
        } catch (final NoSuchFileException ended) {
            return 0;
        }
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (fields.length <= STIME) {
            throw new IllegalStateException("unexpected " + task.resolve("stat") + ": " + stat);
        }
        return Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]);
    }
}
