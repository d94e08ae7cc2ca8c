package io.sluice.bench;

/**
 * Occupies the calling thread the way a synthetic task does: for {@code nanos x slowdown} nanoseconds, parked
 * ({@link #sleep()}) or busy ({@link #spin()}). Implementations are thread-safe and allocate nothing per call.
 * An interrupted thread returns early with its interrupt status still set, so a cancelled speculative copy stops.
 */
public interface TaskCost {
    /** Runs one task of cost {@code nanos} (>= 0) on a worker of slowdown {@code slowdown} (>= 1). */
    void run(long nanos, double slowdown);

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
