package io.sluice.bench.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The 1-minute load average from {@code /proc/loadavg}: how busy the shared machine was around a run. */
public final class LoadAverage {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private LoadAverage() {
    }

    /** The 1-minute load average, or NaN where {@code /proc/loadavg} is missing or unreadable. */
    public static double read() {
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
}
