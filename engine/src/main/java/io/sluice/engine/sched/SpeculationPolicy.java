package io.sluice.engine.sched;

/**
 * The speculation decision, a pure function of times passed in: a running attempt deserves a copy once it has run
 * longer than {@code multiplier x median} of the finished run times of its stage, at least {@code minRunNanos},
 * and at least {@code minFinishedFraction} of the stage's tasks have finished. No clock, no threads.
 */
public final class SpeculationPolicy {
    /** The engine's default multiplier of the stage's median run time. */
    public static final double DEFAULT_MULTIPLIER = 1.4;
    /** The engine's default fraction of the stage's tasks that must have finished. */
    public static final double DEFAULT_MIN_FINISHED_FRACTION = 0.75;
    /** The engine's default minimum run time of an attempt before it may get a copy. */
    public static final long DEFAULT_MIN_RUN_NANOS = 1_000_000L;
    private final double multiplier;
    private final double minFinishedFraction;
    private final long minRunNanos;

    /** A policy; {@code multiplier >= 1}, {@code minFinishedFraction} in [0, 1], {@code minRunNanos >= 0}. */
    public SpeculationPolicy(final double multiplier, final double minFinishedFraction, final long minRunNanos) {
        if (!(multiplier >= 1.0) || !(minFinishedFraction >= 0.0 && minFinishedFraction <= 1.0) || minRunNanos < 0) {
            throw new IllegalArgumentException("multiplier=" + multiplier + " (>= 1) minFinishedFraction="
                + minFinishedFraction + " (in [0, 1]) minRunNanos=" + minRunNanos + " (>= 0)");
        }
        this.multiplier = multiplier;
        this.minFinishedFraction = minFinishedFraction;
        this.minRunNanos = minRunNanos;
    }

    /** The policy {@link SchedulerConfig} uses unless told otherwise (the simulator reads it from here too). */
    public static SpeculationPolicy defaults() {
        return new SpeculationPolicy(DEFAULT_MULTIPLIER, DEFAULT_MIN_FINISHED_FRACTION, DEFAULT_MIN_RUN_NANOS);
    }

    /** Whether an attempt that has run {@code runningNanos} should get a copy, given its stage's figures. */
    public boolean shouldSpeculate(final long runningNanos, final long medianRunNanos, final int finishedTasks,
                                   final int totalTasks) {
        if (medianRunNanos < 0 || totalTasks == 0 || runningNanos < minRunNanos) {
            return false;
        }
        if (finishedTasks < minFinishedFraction * totalTasks) {
            return false;
        }
        return runningNanos > multiplier * medianRunNanos;
    }

    /** {@link #shouldSpeculate(long, long, int, int)} with the figures taken from {@code stats}. */
    public boolean shouldSpeculate(final long runningNanos, final StageStats stats) {
        if (runningNanos < minRunNanos || stats.finishedTasks() < minFinishedFraction * stats.totalTasks()) {
            return false;
        }
        return shouldSpeculate(runningNanos, stats.medianRunNanos(), stats.finishedTasks(), stats.totalTasks());
    }

    public double multiplier() {
        return multiplier;
    }

    public double minFinishedFraction() {
        return minFinishedFraction;
    }

    public long minRunNanos() {
        return minRunNanos;
    }
}
