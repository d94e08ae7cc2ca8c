package io.sluice.engine.sched;

import java.util.Arrays;

/** Stage-level figures: makespan, per-worker busy time and counts of steals, copies, retries and replacements. */
public final class StageSummary {
    private final long makespanNanos;
    private final long[] busyNanos;
    private final long steals;
    private final long speculativeCopies;
    private final long retries;
    private final long workerReplacements;

    StageSummary(final long makespanNanos, final long[] busyNanos, final long steals, final long speculativeCopies,
                 final long retries, final long workerReplacements) {
        this.makespanNanos = makespanNanos;
        this.busyNanos = busyNanos;
        this.steals = steals;
        this.speculativeCopies = speculativeCopies;
        this.retries = retries;
        this.workerReplacements = workerReplacements;
    }

    /** Nanos from submitting the first task to committing the last. */
    public long makespanNanos() {
        return makespanNanos;
    }

    /**
     * Nanos worker {@code w} spent running this stage's attempts (committed or not); with caller-runs,
     * {@code w == SchedulerConfig.callerWorker()} is the calling thread's share.
     */
    public long busyNanos(final int worker) {
        return busyNanos[worker];
    }

    /** Worker threads, plus one for the calling thread when caller-runs is on ({@link SchedulerConfig#callerRuns()}). */
    public int workers() {
        return busyNanos.length;
    }

    /** Morsels taken from another worker's queue. */
    public long steals() {
        return steals;
    }

    public long speculativeCopies() {
        return speculativeCopies;
    }

    /** Attempts launched after a failure. */
    public long retries() {
        return retries;
    }

    /** Worker threads that died and were replaced while the stage ran. */
    public long workerReplacements() {
        return workerReplacements;
    }

    @Override
    public String toString() {
        return "StageSummary{makespanMs=" + makespanNanos / 1e6 + ", busyMs=" + Arrays.toString(
            Arrays.stream(busyNanos).map(n -> n / 1_000_000).toArray()) + ", steals=" + steals + ", speculativeCopies="
            + speculativeCopies + ", retries=" + retries + ", workerReplacements=" + workerReplacements + '}';
    }
}
