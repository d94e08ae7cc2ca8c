package io.sluice.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.SplitShare;

/**
 * The scheduling contenders every scheduling benchmark compares, in one vocabulary: the command line of
 * {@code compare-scheduling} (by {@link #label()}), the JMH scheduling benchmarks (by constant name), the simulator
 * and the streaming straggler experiment. A Sluice contender names its engine policy and whether speculation is
 * on; ForkJoinPool is the peer outside Sluice.
 */
public enum Contender {
    /** Task i on worker i mod W, never moved: the baseline. */
    STATIC("static", SchedulingPolicy.STATIC, false),
    /** One shared queue all workers pull from. */
    CENTRAL_QUEUE("central-queue", SchedulingPolicy.CENTRAL_QUEUE, false),
    /** Per-worker deques with random-victim stealing. */
    WORK_STEALING("work-stealing", SchedulingPolicy.WORK_STEALING, false),
    /** Work stealing plus speculative copies of stragglers. */
    WORK_STEALING_SPECULATION("work-stealing-speculation", SchedulingPolicy.WORK_STEALING, true),
    /** {@link java.util.concurrent.ForkJoinPool} as a peer. */
    FORK_JOIN("fork-join", null, false),
    /** Work stealing without splitting running attempts (the policy before that existed), for side-by-side runs. */
    WORK_STEALING_NO_SPLIT("work-stealing-no-split", SchedulingPolicy.WORK_STEALING, false, false),
    /** Work stealing plus speculation, without splitting running attempts. */
    WORK_STEALING_SPECULATION_NO_SPLIT("work-stealing-speculation-no-split", SchedulingPolicy.WORK_STEALING, true, false),
    /**
     * Work stealing whose idle workers split a running attempt by the rule before {@link SplitShare#FILL}: a
     * two-way balance ({@link SplitShare#BALANCE}), for side-by-side runs.
     */
    WORK_STEALING_BALANCE("work-stealing-balance", SchedulingPolicy.WORK_STEALING, false, true, SplitShare.BALANCE),
    /**
     * Work stealing whose workers set a 1 us timer slack
     * ({@link io.sluice.engine.sched.SchedulerConfig#timerSlackNanos()}; the default keeps the OS's 50 us), for
     * side-by-side runs.
     */
    WORK_STEALING_SLACK_1US("work-stealing-slack-1us", SchedulingPolicy.WORK_STEALING, false, true, null, 1_000L);

    private final String label;
    private final SchedulingPolicy sluicePolicy;
    private final boolean speculation;
    private final boolean splitRunning;
    private final SplitShare splitShare;
    private final Long timerSlackNanos;

    Contender(final String label, final SchedulingPolicy sluicePolicy, final boolean speculation) {
        this(label, sluicePolicy, speculation, true);
    }

    Contender(final String label, final SchedulingPolicy sluicePolicy, final boolean speculation,
              final boolean splitRunning) {
        this(label, sluicePolicy, speculation, splitRunning, null);
    }

    Contender(final String label, final SchedulingPolicy sluicePolicy, final boolean speculation,
              final boolean splitRunning, final SplitShare splitShare) {
        this(label, sluicePolicy, speculation, splitRunning, splitShare, null);
    }

    Contender(final String label, final SchedulingPolicy sluicePolicy, final boolean speculation,
              final boolean splitRunning, final SplitShare splitShare, final Long timerSlackNanos) {
        this.label = label;
        this.sluicePolicy = sluicePolicy;
        this.speculation = speculation;
        this.splitRunning = splitRunning;
        this.splitShare = splitShare;
        this.timerSlackNanos = timerSlackNanos;
    }

    /**
     * The contenders a run compares unless told otherwise: all but the {@code -no-split}, old-rule and
     * {@code -slack-1us} variants.
     */
    public static List<Contender> defaults() {
        final List<Contender> list = new ArrayList<>();
        for (final Contender c : values()) {
            if (c.splitRunning && c.splitShare == null && c.timerSlackNanos == null) {
                list.add(c);
            }
        }
        return List.copyOf(list);
    }

    /**
     * Whether idle workers split running attempts (work stealing; the engine's default); false only for the
     * {@code -no-split} variants, which run work stealing as it was before.
     */
    public boolean splitRunning() {
        return splitRunning;
    }

    /** The split rule this contender pins, or null for the engine's configured one ({@link SplitShare#configured}). */
    public SplitShare splitShare() {
        return splitShare;
    }

    /** The workers' timer slack this contender pins, or null for the engine's configured one. */
    public Long timerSlackNanos() {
        return timerSlackNanos;
    }

    /** The engine policy behind a Sluice contender; ForkJoinPool has none. */
    public SchedulingPolicy sluicePolicy() {
        if (sluicePolicy == null) {
            throw new IllegalArgumentException("contender=" + label + " is not a Sluice scheduling policy");
        }
        return sluicePolicy;
    }

    /** Whether this contender runs on a Sluice scheduler (every one but ForkJoinPool). */
    public boolean isSluice() {
        return sluicePolicy != null;
    }

    /** Whether speculative copies are on. */
    public boolean speculation() {
        return speculation;
    }

    /** The command-line name, e.g. {@code work-stealing}. */
    public String label() {
        return label;
    }

    /** All labels, comma separated, for messages. */
    public static String accepted() {
        final List<String> labels = new ArrayList<>();
        for (final Contender p : values()) {
            labels.add(p.label);
        }
        return String.join(", ", labels);
    }

    /** Parses one label (any case). */
    public static Contender parse(final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (final Contender p : values()) {
            if (p.label.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("policy='" + text + "' not accepted; accepted: " + accepted());
    }

    /** Parses a comma-separated list, keeping the first occurrence of each policy in the given order. */
    public static List<Contender> parseList(final String text) {
        final Set<Contender> policies = new LinkedHashSet<>();
        for (final String part : (text == null ? "" : text).split(",", -1)) {
            policies.add(parse(part));
        }
        return List.copyOf(policies);
    }
}
