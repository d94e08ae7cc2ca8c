package io.sluice.bench.harness;

import java.util.Arrays;

import io.sluice.bench.Contender;

/**
 * One measured run of one policy: makespan, per-worker busy time and the policy's counters. Immutable.
 *
 * @param policy      the policy that ran
 * @param repetition  1-based repetition number
 * @param makespanNanos wall time from submitting the stage to its last commit
 * @param busyNanos   per worker, time spent running attempts (index = worker)
 * @param steals      morsels taken from another worker's queue (ForkJoinPool: steals the pool reports)
 * @param speculativeCopies copies of stragglers launched
 * @param retries     attempts launched after a failure
 * @param committedTasks tasks whose committed result covers each of their rows exactly once (checked per run)
 * @param tasks       tasks of the job
 */
public record RunRecord(Contender policy, int repetition, long makespanNanos, long[] busyNanos, long steals,
                        long speculativeCopies, long retries, int committedTasks, int tasks) {
    public RunRecord {
        if (repetition < 1 || makespanNanos < 0 || committedTasks < 0 || committedTasks > tasks) {
            throw new IllegalArgumentException("run policy=" + policy + " repetition=" + repetition + " makespanNanos="
                + makespanNanos + " committedTasks=" + committedTasks + " tasks=" + tasks + ": need repetition >= 1, makespan >= 0 "
                + "and 0 <= committedTasks <= tasks");
        }
        busyNanos = busyNanos.clone();
    }

    @Override
    public long[] busyNanos() {
        return busyNanos.clone();
    }

    /** Busy time of worker {@code worker}. */
    public long busyNanos(final int worker) {
        return busyNanos[worker];
    }

    public int workers() {
        return busyNanos.length;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof RunRecord r && r.policy == policy && r.repetition == repetition
            && r.makespanNanos == makespanNanos && Arrays.equals(r.busyNanos, busyNanos) && r.steals == steals
            && r.speculativeCopies == speculativeCopies && r.retries == retries && r.committedTasks == committedTasks
            && r.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(busyNanos) * 31 + Long.hashCode(makespanNanos) + policy.hashCode();
    }

    @Override
    public String toString() {
        return "RunRecord{policy=" + policy.label() + ", repetition=" + repetition + ", makespanMs=" + makespanNanos / 1e6
            + ", steals=" + steals + ", speculativeCopies=" + speculativeCopies + ", retries=" + retries
            + ", committed=" + committedTasks + "/" + tasks + '}';
    }
}
