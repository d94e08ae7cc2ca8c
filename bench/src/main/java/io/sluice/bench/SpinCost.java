package io.sluice.bench;

import java.util.Locale;

/**
 * {@link TaskCost#spin()}: a dependent xorshift chain whose cost per iteration is measured once, so a task of cost
 * t runs t / (ns per iteration) iterations. Unlike a loop that watches the clock, its wall time grows when the
 * cores are shared, as real CPU-bound work does. The chain's result is published so the JIT cannot drop it.
 */
public final class SpinCost implements TaskCost {
    /** Iterations between interrupt checks: far below a microsecond's worth of interrupt latency to matter. */
    private static final long CHUNK = 1 << 14;
    private static final int CALIBRATION_ROUNDS = 7;
    private static final long CALIBRATION_ITERATIONS = 2_000_000;

    @SuppressWarnings("unused")
    private static volatile long sink;

    private final double nanosPerIteration;

    /** A spin cost with a known cost per iteration (tests, and the simulator when it mirrors a measured machine). */
    public SpinCost(final double nanosPerIteration) {
        if (!(nanosPerIteration > 0) || Double.isInfinite(nanosPerIteration)) {
            throw new IllegalArgumentException("nanosPerIteration=" + nanosPerIteration + " must be > 0 and finite");
        }
        this.nanosPerIteration = nanosPerIteration;
    }

    /** The JVM-wide instance, calibrated on first use. */
    public static SpinCost calibrated() {
        return Holder.INSTANCE;
    }

    /** Measured cost of one loop iteration in nanoseconds. */
    public double nanosPerIteration() {
        return nanosPerIteration;
    }

    /** Iterations a task of cost {@code nanos} on a worker of slowdown {@code slowdown} runs. */
    public long iterationsFor(final long nanos, final double slowdown) {
        return Math.round(TaskCost.scaledNanos(nanos, slowdown) / nanosPerIteration);
    }

    @Override
    public void run(final long nanos, final double slowdown) {
        long left = iterationsFor(nanos, slowdown);
        long x = left | 1;
        while (left > 0) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            final long n = Math.min(left, CHUNK);
            x = work(x, n);
            left -= n;
        }
        sink = x;
    }

    @Override
    public CostModel model() {
        return CostModel.SPIN;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "spin(%.3f ns/iteration)", nanosPerIteration);
    }

    /** {@code iterations} steps of xorshift64: each depends on the last, so the CPU cannot overlap them. */
    public static long work(final long seed, final long iterations) {
        long x = seed;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Best of several timed rounds after a warm-up: the fastest round is the least disturbed by other threads. */
    static double calibrate() {
        long x = 1;
        for (int i = 0; i < CALIBRATION_ROUNDS; i++) {
            x = work(x, CALIBRATION_ITERATIONS);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < CALIBRATION_ROUNDS; i++) {
            final long start = System.nanoTime();
            x = work(x, CALIBRATION_ITERATIONS);
            best = Math.min(best, System.nanoTime() - start);
        }
        sink = x;
        return Math.max(best, 1) / (double) CALIBRATION_ITERATIONS;
    }

    /** Lazy holder: the calibration runs once, on the first {@link #calibrated()} call. */
    private static final class Holder {
        static final SpinCost INSTANCE = new SpinCost(calibrate());

        private Holder() {
        }
    }
}
