package io.sluice.bench.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Median makespans per policy read back from a compare-scheduling {@code runs.csv} (columns policy, repetition,
 * makespan_ns, ...; one row per run and worker), to set real-thread runs beside the simulation.
 */
public final class MeasuredRuns {
    private MeasuredRuns() {
    }

    /** Median makespan in nanos per policy label, in file order. */
    public static Map<String, Double> medians(final Path csv) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read measured runs file=" + csv, ex);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("policy,repetition,makespan_ns")) {
            throw new IllegalArgumentException("file=" + csv + " is not a compare-scheduling runs.csv (header "
                + "policy,repetition,makespan_ns,...)");
        }
        final Map<String, Map<String, Long>> runs = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            final String[] f = lines.get(i).split(",");
            if (f.length < 3) {
                throw new IllegalArgumentException("file=" + csv + " line " + (i + 1) + " has fields=" + f.length + " (< 3)");
            }
            runs.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Long.parseLong(f[2].trim()));
        }
        final Map<String, Double> medians = new LinkedHashMap<>();
        for (final Map.Entry<String, Map<String, Long>> e : runs.entrySet()) {
            final List<Long> values = new ArrayList<>(e.getValue().values());
            Collections.sort(values);
            final int n = values.size();
            medians.put(e.getKey(), (n & 1) == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0);
        }
        return medians;
    }
}
