package io.sluice.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How loaded the machine was around a run, measured, for the "Machine" section of every generated report: the
 * 1-minute load average (from {@code /proc/loadavg}) before and after, and this process's CPU time against the
 * wall time of the run. Replaces any fixed sentence about what else was running. Start with {@link #start()},
 * end with {@link #stop()}.
 */
public final class RunLoad {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private final double loadBefore;
    private final long wallStart;
    private final long cpuStart;

    private RunLoad(final double loadBefore, final long wallStart, final long cpuStart) {
        this.loadBefore = loadBefore;
        this.wallStart = wallStart;
        this.cpuStart = cpuStart;
    }

    /** Reads the load average and the process CPU time now, at the start of a run. */
    public static RunLoad start() {
        return new RunLoad(loadAverage(), System.nanoTime(), processCpuNanos());
    }

    /** Reads them again at the end of the run. */
    public Measured stop() {
        final long cpu = processCpuNanos();
        return new Measured(loadBefore, loadAverage(), System.nanoTime() - wallStart,
            cpu < 0 || cpuStart < 0 ? -1 : cpu - cpuStart, Runtime.getRuntime().availableProcessors());
    }

    /** The 1-minute load average, or NaN where {@code /proc/loadavg} is missing or unreadable. */
    public static double loadAverage() {
        try {
            return parse(Files.readString(LOADAVG, StandardCharsets.US_ASCII));
        } catch (final IOException ex) {
            return Double.NaN;
        }
    }

    /** The first field of a {@code /proc/loadavg} line, or NaN if it is not a number. */
    static double parse(final String line) {
        final String[] fields = line.trim().split("\\s+");
        try {
            return Double.parseDouble(fields[0]);
        } catch (final NumberFormatException ex) {
            return Double.NaN;
        }
    }

    /** This process's total CPU time (all threads, user + system) in nanos, or -1 where the OS does not say. */
    public static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * The measured facts.
     *
     * @param loadBefore 1-minute load average at the start (NaN if unknown)
     * @param loadAfter  1-minute load average at the end (NaN if unknown)
     * @param wallNanos  wall time of the run
     * @param cpuNanos   CPU time this process used during the run, all threads (-1 if unknown)
     * @param cores      processors available to the JVM
     */
    public record Measured(double loadBefore, double loadAfter, long wallNanos, long cpuNanos, int cores) {
        /** Markdown list items for a report's "Machine" section. */
        public String toMarkdown() {
            final StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "- **load average (1 min)**: %s before the run, %s after, on %d cores%n",
                number(loadBefore), number(loadAfter), cores));
            if (cpuNanos >= 0 && wallNanos > 0) {
                md.append(String.format(Locale.ROOT, "- **this process**: %.1f s CPU time in %.1f s wall time (%.2f of %d "
                    + "cores busy on average)%n", cpuNanos / 1e9, wallNanos / 1e9, cpuNanos / (double) wallNanos, cores));
            } else {
                md.append(String.format(Locale.ROOT, "- **this process**: %.1f s wall time (CPU time not reported by the "
                    + "OS)%n", wallNanos / 1e9));
            }
            return md.toString();
        }

        private static String number(final double value) {
            return Double.isNaN(value) ? "unknown" : String.format(Locale.ROOT, "%.2f", value);
        }
    }
}
