package io.sluice.bench;

import java.util.Arrays;

/**
 * A deterministic synthetic job: the cost of every task (nanoseconds at normal speed), the slowdown of every worker
 * (1 for a normal worker, the slow factor for a slow one), and which tasks fail on their first attempt. Made by
 * {@link WorkloadGenerator}; the same seed gives the same workload, so every policy faces the same job. Immutable:
 * accessors return copies or single elements.
 */
public final class Workload {
    private final long[] taskNanos;
    private final double[] workerSlowdown;
    private final boolean[] firstAttemptFails;

    /** Arrays are copied; {@code firstAttemptFails} has one entry per task, slowdowns are all >= 1. */
    public Workload(final long[] taskNanos, final double[] workerSlowdown, final boolean[] firstAttemptFails) {
        if (taskNanos.length != firstAttemptFails.length) {
            throw new IllegalArgumentException("tasks=" + taskNanos.length + " but firstAttemptFails has "
                + firstAttemptFails.length + " entries");
        }
        if (workerSlowdown.length == 0) {
            throw new IllegalArgumentException("a workload needs at least one worker");
        }
        for (int i = 0; i < taskNanos.length; i++) {
            if (taskNanos[i] < 0) {
                throw new IllegalArgumentException("task " + i + " cost=" + taskNanos[i] + " ns must be >= 0");
            }
        }
        for (int w = 0; w < workerSlowdown.length; w++) {
            if (!(workerSlowdown[w] >= 1) || Double.isInfinite(workerSlowdown[w])) {
                throw new IllegalArgumentException("worker " + w + " slowdown=" + workerSlowdown[w] + " must be >= 1");
            }
        }
        this.taskNanos = taskNanos.clone();
        this.workerSlowdown = workerSlowdown.clone();
        this.firstAttemptFails = firstAttemptFails.clone();
    }

    public int tasks() {
        return taskNanos.length;
    }

    public int workers() {
        return workerSlowdown.length;
    }

    /** Cost of task {@code task} at normal speed, in nanoseconds. */
    public long taskNanos(final int task) {
        return taskNanos[task];
    }

    /** All task costs (a copy). */
    public long[] taskNanos() {
        return taskNanos.clone();
    }

    /** Slowdown of worker {@code worker}: its tasks take this many times their cost. */
    public double workerSlowdown(final int worker) {
        return workerSlowdown[worker];
    }

    /** Whether the first attempt of {@code task} throws (a retry of it succeeds). */
    public boolean firstAttemptFails(final int task) {
        return firstAttemptFails[task];
    }

    /** Sum of all task costs at normal speed. */
    public long totalTaskNanos() {
        return Arrays.stream(taskNanos).sum();
    }

    /** The largest task cost at normal speed. */
    public long maxTaskNanos() {
        return Arrays.stream(taskNanos).max().orElse(0);
    }

    /**
     * A lower bound on the makespan of any schedule that does not split tasks and ignores failures: the larger of
     * (all work / total speed of the workers) and (the largest task on the fastest worker).
     */
    public double idealMakespanNanos() {
        double speed = 0;
        double fastest = Double.MAX_VALUE;
        for (final double slowdown : workerSlowdown) {
            speed += 1.0 / slowdown;
            fastest = Math.min(fastest, slowdown);
        }
        return Math.max(totalTaskNanos() / speed, maxTaskNanos() * fastest);
    }
}
