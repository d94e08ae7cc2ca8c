package io.sluice.bench.sim;

/**
 * The outcome of one simulation, in virtual nanos. Immutable.
 *
 * @param makespanNanos     from the first release to the last task's finish
 * @param taskFinishNanos   per task, the virtual time its last row committed
 * @param busyNanos         per worker, time spent running attempts (committed, lost or cancelled)
 * @param steals            morsels a work-stealing worker took from another worker's queue
 * @param speculativeCopies copies launched
 * @param copyWins          copies that committed before their original
 * @param retries           attempts launched after a failed attempt
 */
public record SimResult(long makespanNanos, long[] taskFinishNanos, long[] busyNanos, long steals, long speculativeCopies,
                        long copyWins, long retries) {
    public SimResult {
        taskFinishNanos = taskFinishNanos.clone();
        busyNanos = busyNanos.clone();
    }

    @Override
    public long[] taskFinishNanos() {
        return taskFinishNanos.clone();
    }

    @Override
    public long[] busyNanos() {
        return busyNanos.clone();
    }

    /** Finish time of task {@code task}. */
    public long taskFinishNanos(final int task) {
        return taskFinishNanos[task];
    }

    /** Makespan in virtual seconds. */
    public double makespanSeconds() {
        return makespanNanos / 1e9;
    }
}
