package io.sluice.bench;

import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.sched.TaskContext;

/** {@link TaskCost#sleep()}: parks until the deadline; parkNanos may return early, so it loops on the clock. */
final class SleepCost implements TaskCost {
    static final SleepCost INSTANCE = new SleepCost();

    private SleepCost() {
    }

    @Override
    public void run(final long nanos, final double slowdown) {
        final long deadline = System.nanoTime() + TaskCost.scaledNanos(nanos, slowdown);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Parks until a deadline that each claimed chunk pushes back by its cost: a late wake-up (the park timer's
     * slack: 50 us by default on Linux, less on workers configured with a smaller
     * {@link io.sluice.engine.sched.SchedulerConfig#timerSlackNanos()}) is made up by claiming the
     * next chunks at once, so the rows are claimed at the model's rate and the morsel ends when its rows' cost has
     * passed, as with {@link #run}. The last park of a morsel is late by the whole wake-up, and the morsel with it.
     */
    @Override
    public long runChunks(final TaskContext ctx, final long nanosPerRow, final double slowdown, final long chunkNanos) {
        final long chunkRows = TaskCost.chunkRows(nanosPerRow, slowdown, chunkNanos);
        long deadline = System.nanoTime();
        long rows = 0;
        long lo = ctx.from();
        for (long hi; (hi = ctx.nextChunk(chunkRows)) > lo; lo = hi) {
            deadline += TaskCost.scaledNanos((hi - lo) * nanosPerRow, slowdown);
            rows += hi - lo;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return rows;
                }
                LockSupport.parkNanos(left);
            }
        }
        return rows;
    }

    @Override
    public CostModel model() {
        return CostModel.SLEEP;
    }

    @Override
    public String toString() {
        return "sleep";
    }
}
