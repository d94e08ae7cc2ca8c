package io.sluice.bench.sim;

import io.sluice.engine.sched.Placement;

/**
 * One task of a simulated job: released (offered to the policy's queues) at {@code releaseNanos} of virtual time,
 * covering {@code rows} rows that cost {@code nanosPerRow} each on a worker of speed 1, preferably on
 * {@code homeWorker} ({@link Placement#ANY_WORKER} for none), or, for {@link #CLAIMED}, a first attempt of the stage
 * published at time 0 that the policy's claims place (as the threaded schedulers do). A splittable task may be split
 * by the policy.
 *
 * @param releaseNanos virtual time at which the task is offered, >= 0
 * @param rows         rows, >= 1
 * @param nanosPerRow  virtual nanos per row at speed 1, >= 0
 * @param homeWorker   preferred worker, {@link Placement#ANY_WORKER}, or {@link #CLAIMED}
 * @param splittable   whether the policy may split it
 */
public record SimTask(long releaseNanos, long rows, double nanosPerRow, int homeWorker, boolean splittable) {
    /** {@code homeWorker} of a task of the stage published at time 0, placed by the policy's first-attempt claims. */
    public static final int CLAIMED = -2;

    public SimTask {
        if (releaseNanos < 0 || rows < 1 || !(nanosPerRow >= 0) || Double.isInfinite(nanosPerRow)
            || homeWorker < CLAIMED) {
            throw new IllegalArgumentException("sim task releaseNanos=" + releaseNanos + " rows=" + rows + " nanosPerRow="
                + nanosPerRow + " homeWorker=" + homeWorker + ": need release >= 0, rows >= 1, finite nanosPerRow >= 0, "
                + "homeWorker >= -2");
        }
    }

    /** A task of {@code nanos} at time 0 as one indivisible row, homed on {@code homeWorker}. */
    public static SimTask whole(final long nanos, final int homeWorker) {
        return new SimTask(0, 1, nanos, homeWorker, false);
    }

    /** Cost of the whole task at speed 1. */
    public double nanos() {
        return rows * nanosPerRow;
    }
}
