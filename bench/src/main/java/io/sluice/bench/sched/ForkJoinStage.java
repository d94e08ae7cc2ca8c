package io.sluice.bench.sched;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveTask;

/**
 * The ForkJoinPool peer of a {@link Workload} stage: one task per partition, each halving its range while it has at
 * least two minimum morsels (the same splitting rule as the Sluice work-stealing policy), sleeping the same cost,
 * with the same slowdown on the pool's worker 0.
 */
final class ForkJoinStage extends RecursiveTask<Long> {
    private static final long serialVersionUID = 1L;

    private final long from;
    private final long to;
    private final double slowFactor;

    private ForkJoinStage(final long from, final long to, final double slowFactor) {
        this.from = from;
        this.to = to;
        this.slowFactor = slowFactor;
    }

    /** Runs all partitions of {@code rows} on {@code pool}; returns the rows covered. */
    static long run(final ForkJoinPool pool, final long[] rows, final double slowFactor) {
        return pool.invoke(new RecursiveTask<Long>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected Long compute() {
                final ForkJoinStage[] parts = new ForkJoinStage[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    parts[i] = new ForkJoinStage(0, rows[i], slowFactor);
                }
                invokeAll(parts);
                long sum = 0;
                for (final ForkJoinStage part : parts) {
                    sum += part.join();
                }
                return sum;
            }
        });
    }

    @Override
    protected Long compute() {
        final long rows = to - from;
        if (rows >= 2 * Workload.MIN_MORSEL_ROWS) {
            final long mid = from + rows / 2;
            final ForkJoinStage upper = new ForkJoinStage(mid, to, slowFactor);
            upper.fork();
            final long lower = new ForkJoinStage(from, mid, slowFactor).compute();
            return lower + upper.join();
        }
        final Thread t = Thread.currentThread();
        final boolean slow = t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPoolIndex() == 0;
        Workload.sleepNanos((long) (rows * Workload.NANOS_PER_ROW * (slow ? slowFactor : 1.0)));
        return rows;
    }
}
