package io.sluice.engine.sched;

/**
 * The speculation decision, a pure function of times passed in (no clock, no threads). A running attempt gets a
 * copy only when the copy is expected to gain more than it costs, that is when all of these hold:
 * <ol>
 *   <li>at least {@code minFinishedFraction} of the stage's tasks have finished (so their median means something);</li>
 *   <li>it has run longer than {@code multiplier x median} of the stage's finished run times (a straggler relative
 *       to its own stage, not to a fixed clock);</li>
 *   <li>it has run at least {@code median + minGainNanos}: a copy started now finishes after about one median, so
 *       it can only gain what the attempt overran the median by, and that must exceed a copy's fixed cost
 *       (launching it, interrupting the loser, discarding its output: a file written in part, a batch released),
 *       which is far above the ~1 us per-task overhead. With the default of 10 ms, a stage of small tasks (a few
 *       ms each, as most write stages are) launches no copy for ordinary jitter; a task stuck for tens of ms does
 *       get one;</li>
 *   <li>it has run at least {@code minRunNanos}.</li>
 * </ol>
 * {@link #thresholdNanos} is the running time from which a copy is due, for a given median; a simulator uses it to
 * schedule its next look.
 *
 * <p><b>A worker known to be slow.</b> When the attempt's worker has already finished attempts of the stage, their
 * mean run time gives its rate relative to the stage ({@code workerMeanRunNanos / median}); a worker at least
 * {@code multiplier} times slower than the median is known slow, and the attempt's expected remaining time is
 * {@code workerMean - running}. It then also gets a copy as soon as that remaining time exceeds a copy's expected
 * run (one median) by {@code minGainNanos}, without waiting for {@code minFinishedFraction} of the stage or for the
 * overrun above: so the coarse tasks of a slow worker are copied as soon as a worker is idle. The rules above still
 * apply to every attempt (an attempt whose worker's rate is known may be copied by either).
 *
 * <p><b>An attempt claiming chunks that thieves may split</b> ({@link TaskContext#nextChunk}) is judged on the time
 * since its latest chunk claim instead, by the first rules only: idle workers take its unclaimed rows, while a copy
 * would run the whole range again, so only a chunk that stalls gets one, however slow its worker.
 */
public final class SpeculationPolicy {
    /** The engine's default multiplier of the stage's median run time. */
    public static final double DEFAULT_MULTIPLIER = 1.4;
    /** The engine's default fraction of the stage's tasks that must have finished. */
    public static final double DEFAULT_MIN_FINISHED_FRACTION = 0.75;
    /** The engine's default minimum run time of an attempt before it may get a copy. */
    public static final long DEFAULT_MIN_RUN_NANOS = 1_000_000L;
    /** The engine's default cost of a copy: the overrun past the median below which a copy cannot pay. */
    public static final long DEFAULT_MIN_GAIN_NANOS = 10_000_000L;

    private final double multiplier;
    private final double minFinishedFraction;
    private final long minRunNanos;
    private final long minGainNanos;

    /** A policy without a gain floor ({@code minGainNanos = 0}); see the four-argument constructor. */
    public SpeculationPolicy(final double multiplier, final double minFinishedFraction, final long minRunNanos) {
        this(multiplier, minFinishedFraction, minRunNanos, 0);
    }

    /**
     * A policy; {@code multiplier >= 1}, {@code minFinishedFraction} in [0, 1], {@code minRunNanos >= 0},
     * {@code minGainNanos >= 0}.
     */
    public SpeculationPolicy(final double multiplier, final double minFinishedFraction, final long minRunNanos,
                             final long minGainNanos) {
        if (!(multiplier >= 1.0) || !(minFinishedFraction >= 0.0 && minFinishedFraction <= 1.0) || minRunNanos < 0
            || minGainNanos < 0) {
            throw new IllegalArgumentException("multiplier=" + multiplier + " (>= 1) minFinishedFraction="
                + minFinishedFraction + " (in [0, 1]) minRunNanos=" + minRunNanos + " (>= 0) minGainNanos="
                + minGainNanos + " (>= 0)");
        }
        this.multiplier = multiplier;
        this.minFinishedFraction = minFinishedFraction;
        this.minRunNanos = minRunNanos;
        this.minGainNanos = minGainNanos;
    }

    /** The policy {@link SchedulerConfig} uses unless told otherwise (the simulator reads it from here too). */
    public static SpeculationPolicy defaults() {
        return new SpeculationPolicy(DEFAULT_MULTIPLIER, DEFAULT_MIN_FINISHED_FRACTION, DEFAULT_MIN_RUN_NANOS,
            DEFAULT_MIN_GAIN_NANOS);
    }

    /** The running time (nanos) from which an attempt gets a copy, given the stage's median run time (>= 0). */
    public long thresholdNanos(final long medianRunNanos) {
        final long straggler = (long) Math.floor(multiplier * medianRunNanos) + 1;
        return Math.max(minRunNanos, Math.max(straggler, medianRunNanos + minGainNanos));
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
        return runningNanos >= thresholdNanos(medianRunNanos);
    }

    /**
     * As {@link #shouldSpeculate(long, long, int, int)} for an attempt whose worker finished attempts of the stage in
     * {@code workerMeanRunNanos} on average ({@code < 0}: none yet, or unknown): also true when the worker is known
     * to be slow and a copy is expected to gain more than it costs (see the class comment).
     */
    public boolean shouldSpeculate(final long runningNanos, final long medianRunNanos, final int finishedTasks,
                                   final int totalTasks, final long workerMeanRunNanos) {
        if (isKnownSlow(medianRunNanos, workerMeanRunNanos) && runningNanos >= minRunNanos
            && workerMeanRunNanos - runningNanos >= medianRunNanos + minGainNanos) {
            return true;
        }
        return shouldSpeculate(runningNanos, medianRunNanos, finishedTasks, totalTasks);
    }

    /** Whether a worker whose attempts take {@code workerMeanRunNanos} on average is slow for a stage of this median. */
    boolean isKnownSlow(final long medianRunNanos, final long workerMeanRunNanos) {
        return medianRunNanos > 0 && workerMeanRunNanos >= 0 && workerMeanRunNanos >= multiplier * medianRunNanos;
    }

    /** {@link #shouldSpeculate(long, long, int, int, long)} with the stage's figures taken from {@code stats}. */
    public boolean shouldSpeculate(final long runningNanos, final StageStats stats, final long workerMeanRunNanos) {
        if (workerMeanRunNanos < 0 || stats.runs() == 0) {
            return shouldSpeculate(runningNanos, stats);
        }
        return shouldSpeculate(runningNanos, stats.medianRunNanos(), stats.finishedTasks(), stats.totalTasks(),
            workerMeanRunNanos);
    }

    /** {@link #shouldSpeculate(long, long, int, int)} with the figures taken from {@code stats}. */
    public boolean shouldSpeculate(final long runningNanos, final StageStats stats) {
        // Cheap exits first: the median needs a sort.
        if (runningNanos < Math.max(minRunNanos, minGainNanos) || stats.finishedTasks() < minFinishedFraction * stats.totalTasks()) {
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

    public long minGainNanos() {
        return minGainNanos;
    }
}
