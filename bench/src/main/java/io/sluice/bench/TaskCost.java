package io.sluice.bench;

import io.sluice.engine.sched.TaskContext;

/**
 * Occupies the calling thread the way a synthetic task does: for {@code nanos x slowdown} nanoseconds, parked
 * ({@link #sleep()}) or busy ({@link #spin()}). Implementations are thread-safe and allocate nothing per call.
 * An interrupted thread returns early with its interrupt status still set, so a cancelled speculative copy stops.
 */
public interface TaskCost {
    /** Runs one task of cost {@code nanos} (>= 0) on a worker of slowdown {@code slowdown} (>= 1). */
    void run(long nanos, double slowdown);

    /**
     * Runs the rows of {@code ctx}'s morsel chunk by chunk ({@link TaskContext#nextChunk}), a row costing
     * {@code nanosPerRow x slowdown}, in chunks of about {@code chunkNanos} of this worker's time, so an idle worker
     * may split off the rows not claimed yet; returns the rows run. Stops early, with the interrupt status set, when
     * interrupted (a cancelled attempt). By default each chunk is one {@link #run}.
     */
    default long runChunks(final TaskContext ctx, final long nanosPerRow, final double slowdown, final long chunkNanos) {
        final long chunkRows = chunkRows(nanosPerRow, slowdown, chunkNanos);
        long rows = 0;
        long lo = ctx.from();
        for (long hi; (hi = ctx.nextChunk(chunkRows)) > lo; lo = hi) {
            run((hi - lo) * nanosPerRow, slowdown);
            rows += hi - lo;
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return rows;
    }

    /** Rows that take about {@code chunkNanos} at {@code nanosPerRow x slowdown} each (at least 1). */
    static long chunkRows(final long nanosPerRow, final double slowdown, final long chunkNanos) {
        if (chunkNanos < 1) {
            throw new IllegalArgumentException("chunkNanos=" + chunkNanos + " must be >= 1");
        }
        return Math.max(1, Math.round(chunkNanos / (double) Math.max(1, scaledNanos(nanosPerRow, slowdown))));
    }

    /** Which model this is. */
    CostModel model();

    /** Parks in a {@code LockSupport.parkNanos} loop until the deadline. */
    static TaskCost sleep() {
        return SleepCost.INSTANCE;
    }

    /** A busy loop calibrated once per JVM (on first use, about 50 ms) to a known cost per iteration. */
    static TaskCost spin() {
        return SpinCost.calibrated();
    }

    /** {@link #sleep()} or {@link #spin()}. */
    static TaskCost of(final CostModel model) {
        switch (model) {
            case SLEEP:
                return sleep();
            case SPIN:
                return spin();
            default:
                throw new IllegalArgumentException("unknown cost model=" + model);
        }
    }

    /** {@code nanos x slowdown}, rounded, after checking both; what every implementation waits for. */
    static long scaledNanos(final long nanos, final double slowdown) {
        if (nanos < 0) {
            throw new IllegalArgumentException("task cost nanos=" + nanos + " must be >= 0");
        }
        if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("slowdown=" + slowdown + " must be >= 1 and finite");
        }
        return Math.round(nanos * slowdown);
    }
}
