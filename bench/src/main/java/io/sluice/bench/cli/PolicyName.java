package io.sluice.bench.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The scheduling policies {@code compare-scheduling} can compare, by their command-line names. */
public enum PolicyName {
    /** Task i on worker i mod W, never moved: the baseline. */
    STATIC("static"),
    /** One shared queue all workers pull from. */
    CENTRAL_QUEUE("central-queue"),
    /** Per-worker deques with random-victim stealing. */
    WORK_STEALING("work-stealing"),
    /** Work stealing plus speculative copies of stragglers. */
    WORK_STEALING_SPECULATION("work-stealing-speculation"),
    /** {@link java.util.concurrent.ForkJoinPool} as a peer. */
    FORK_JOIN("fork-join");

    private final String label;

    PolicyName(final String label) {
        this.label = label;
    }

    /** The command-line name, e.g. {@code work-stealing}. */
    public String label() {
        return label;
    }

    /** All labels, comma separated, for messages. */
    public static String accepted() {
        final List<String> labels = new ArrayList<>();
        for (final PolicyName p : values()) {
            labels.add(p.label);
        }
        return String.join(", ", labels);
    }

    /** Parses one label (any case). */
    public static PolicyName parse(final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (final PolicyName p : values()) {
            if (p.label.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("policy='" + text + "' not accepted; accepted: " + accepted());
    }

    /** Parses a comma-separated list, keeping the first occurrence of each policy in the given order. */
    public static List<PolicyName> parseList(final String text) {
        final Set<PolicyName> policies = new LinkedHashSet<>();
        for (final String part : (text == null ? "" : text).split(",", -1)) {
            policies.add(parse(part));
        }
        return List.copyOf(policies);
    }
}
