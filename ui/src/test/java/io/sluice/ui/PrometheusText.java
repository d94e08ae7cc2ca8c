package io.sluice.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4) for tests: every sample line must parse,
 * belong to a family declared by {@code # TYPE} (histogram samples by their {@code _bucket}/{@code _sum}/{@code
 * _count} suffixes, counters by {@code _total}), and histogram buckets must be cumulative and end at +Inf = count.
 */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(final String text) {
        final PrometheusText out = new PrometheusText();
        int lineNo = 0;
        for (final String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                final String[] parts = line.split(" ");
                assertEquals(4, parts.length, "line " + lineNo + ": " + line);
                assertTrue(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3]), line);
                assertTrue(out.types.put(parts[2], parts[3]) == null, "type declared twice: " + line);
                continue;
            }
            if (line.startsWith("#")) {
                assertTrue(line.startsWith("# HELP "), "line " + lineNo + " is a comment of unknown kind: " + line);
                continue;
            }
            final Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                fail("line " + lineNo + " is not a sample: " + line);
            }
            final Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                final Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.samples.add(new Sample(m.group(1), labels, value(m.group(4), line)));
            assertNotNull(out.family(m.group(1)), "line " + lineNo + ": sample without a # TYPE: " + line);
        }
        out.checkHistograms();
        return out;
    }

    private static double value(final String text, final String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (final NumberFormatException ex) {
                    throw new AssertionError("bad value '" + text + "' in: " + line, ex);
                }
        }
    }

    /** The declared family a sample name belongs to, or null. */
    String family(final String sample) {
        if (types.containsKey(sample)) {
            // In the 0.0.4 text format a counter's family is named with its _total suffix.
            return !"counter".equals(types.get(sample)) || sample.endsWith("_total") ? sample : null;
        }
        for (final String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created")) {
            if (sample.endsWith(suffix)) {
                final String base = sample.substring(0, sample.length() - suffix.length());
                final String type = types.get(base);
                final boolean fits = suffix.equals("_total") ? type != null && type.equals("counter")
                    : type != null && (!type.equals("gauge") || suffix.equals("_created"));
                if (fits) {
                    return base;
                }
            }
        }
        return null;
    }

    private void checkHistograms() {
        for (final Map.Entry<String, String> e : types.entrySet()) {
            if (!e.getValue().equals("histogram")) {
                continue;
            }
            double previousLe = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            double inf = -1;
            for (final Sample s : samples) {
                if (s.name().equals(e.getKey() + "_bucket")) {
                    final double le = value(s.labels().get("le"), s.toString());
                    assertTrue(le > previousLe, "buckets out of order: " + s);
                    assertTrue(s.value() >= previousCount, "buckets not cumulative: " + s);
                    previousLe = le;
                    previousCount = s.value();
                    if (le == Double.POSITIVE_INFINITY) {
                        inf = s.value();
                    }
                }
            }
            assertTrue(inf >= 0, "histogram " + e.getKey() + " has no +Inf bucket");
            assertEquals(inf, value(e.getKey() + "_count", Map.of()), "histogram " + e.getKey() + ": +Inf bucket != count");
        }
    }

    /** The value of the one sample named {@code name} with exactly {@code labels}. */
    double value(final String name, final Map<String, String> labels) {
        final List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
        assertEquals(1, found.size(), "samples " + name + labels + ": " + found);
        return found.get(0).value();
    }
}
