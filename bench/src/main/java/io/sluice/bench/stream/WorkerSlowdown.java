package io.sluice.bench.stream;

import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.sched.FaultInjection;

/**
 * A sleep-based per-row task cost stretched by the scheduler's injected slowdown of the worker running it
 * ({@link FaultInjection#slowdown(int)}).
 *
 * <p>Dataset tasks do not see their {@code TaskContext}, so the worker index is read from the worker thread's name
 * ({@code sluice-worker-<pool>-<index>[.<generation>]}); a thread of another pool, or the caller's thread, counts as
 * a normal-speed worker. A sleeping task costs no CPU, so 8 workers on 2 cores behave like 8 machines for this
 * cost: the slow worker is slow because of its own tasks, not because the others take its core. An interrupted
 * thread (a cancelled speculative copy) returns early.
 */
public final class WorkerSlowdown implements PartitionCost {
    private final String prefix;
    private final FaultInjection faults;
    private final long nanosPerRow;

    /** Costs {@code nanosPerRow} per row on the workers of pool {@code poolName}, slowed as {@code faults} say. */
    public WorkerSlowdown(final String poolName, final FaultInjection faults, final long nanosPerRow) {
        if (nanosPerRow < 0) {
            throw new IllegalArgumentException("nanosPerRow=" + nanosPerRow + " must be >= 0");
        }
        this.prefix = "sluice-worker-" + poolName + "-";
        this.faults = faults;
        this.nanosPerRow = nanosPerRow;
    }

    /** The worker index in a thread name of this pool, or -1 for any other thread. */
    int workerIndex(final String threadName) {
        if (!threadName.startsWith(prefix)) {
            return -1;
        }
        int end = prefix.length();
        while (end < threadName.length() && Character.isDigit(threadName.charAt(end))) {
            end++;
        }
        if (end == prefix.length() || end < threadName.length() && threadName.charAt(end) != '.') {
            return -1;
        }
        return Integer.parseInt(threadName.substring(prefix.length(), end));
    }

    /** The cost of {@code rows} rows on the thread named {@code threadName}. */
    long costNanos(final String threadName, final int rows) {
        final int worker = workerIndex(threadName);
        final double slowdown = worker < 0 ? 1.0 : faults.slowdown(worker);
        return Math.round(nanosPerRow * (double) rows * slowdown);
    }

    @Override
    public void apply(final int partition, final int rows) {
        final long deadline = System.nanoTime() + costNanos(Thread.currentThread().getName(), rows);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }
}
