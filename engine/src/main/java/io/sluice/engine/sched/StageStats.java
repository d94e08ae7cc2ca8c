package io.sluice.engine.sched;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Run times (nanos) of the finished morsels of one stage, for the speculation decision. Thread-safe; record is
 * allocation-free. Keeps the last {@code capacity} durations once more were recorded.
 */
public final class StageStats {
    private final AtomicLongArray durations;
    private final AtomicInteger count = new AtomicInteger();
    private final int totalTasks;
    private final AtomicInteger finishedTasks = new AtomicInteger();
    private long[] scratch = new long[0];
    private int cachedCount = -1;
    private long cachedMedian;

    /** Stats for a stage of {@code totalTasks} tasks, keeping up to {@code capacity} durations. */
    public StageStats(final int totalTasks, final int capacity) {
        if (totalTasks < 0 || capacity < 1) {
            throw new IllegalArgumentException("totalTasks=" + totalTasks + " capacity=" + capacity + " must be >= 0 and >= 1");
        }
        this.totalTasks = totalTasks;
        this.durations = new AtomicLongArray(capacity);
    }

    /** Records one finished morsel's run time. */
    public void recordRun(final long nanos) {
        final int i = count.getAndIncrement();
        durations.set(Math.floorMod(i, durations.length()), nanos);
    }

    /** Records the first {@code n} run times of {@code nanos} at once (one contended update for a batch). */
    public void recordRuns(final long[] nanos, final int n) {
        if (n <= 0) {
            return;
        }
        final int cap = durations.length();
        // One division per batch, not per element.
        int slot = Math.floorMod(count.getAndAdd(n), cap);
        for (int i = 0; i < n; i++) {
            durations.lazySet(slot, nanos[i]);
            if (++slot == cap) {
                slot = 0;
            }
        }
    }

    /** Records that one more task of the stage finished (all of its rows committed); returns the tasks finished. */
    public int recordTaskFinished() {
        return finishedTasks.incrementAndGet();
    }

    /** Records that {@code n} more tasks finished at once; returns the tasks finished. */
    public int recordTasksFinished(final int n) {
        return finishedTasks.addAndGet(n);
    }

    /** Tasks of the stage. */
    public int totalTasks() {
        return totalTasks;
    }

    /** Tasks finished so far. */
    public int finishedTasks() {
        return finishedTasks.get();
    }

    /** Run times recorded so far. */
    public int runs() {
        return count.get();
    }

    /** Median of the recorded run times, or -1 if none; cached until a new run is recorded. */
    public synchronized long medianRunNanos() {
        final int c = count.get();
        if (c == 0) {
            return -1;
        }
        if (c != cachedCount) {
            final int n = Math.min(c, durations.length());
            if (scratch.length < n) {
                scratch = new long[Math.max(n, scratch.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                scratch[i] = durations.get(i);
            }
            Arrays.sort(scratch, 0, n);
            cachedMedian = (n & 1) == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
            cachedCount = c;
        }
        return cachedMedian;
    }
}
