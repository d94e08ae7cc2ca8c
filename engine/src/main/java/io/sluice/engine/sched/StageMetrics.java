package io.sluice.engine.sched;

/**
 * Per-task figures of a finished stage, in primitive arrays indexed by task. For a split morsel task: run time is
 * the sum over its parts, queue wait the largest, worker the one that committed the last part, attempt the
 * highest, stolen/speculative true if any committed part was.
 */
public final class StageMetrics {
    private final long[] queueWaitNanos;
    private final long[] runNanos;
    private final int[] worker;
    private final int[] attempt;
    private final int[] parts;
    /** Per task: {@link #STOLEN} and {@link #SPECULATIVE} bits (the run's own array, not copied per stage). */
    private final byte[] flags;
    static final int STOLEN = 1;
    static final int SPECULATIVE = 2;

    StageMetrics(final long[] queueWaitNanos, final long[] runNanos, final int[] worker, final int[] attempt,
                 final int[] parts, final byte[] flags) {
        this.queueWaitNanos = queueWaitNanos;
        this.runNanos = runNanos;
        this.worker = worker;
        this.attempt = attempt;
        this.parts = parts;
        this.flags = flags;
    }

    public int tasks() {
        return runNanos.length;
    }

    /** Nanos between being queued and starting, for the committed attempt. */
    public long queueWaitNanos(final int task) {
        return queueWaitNanos[task];
    }

    /**
     * Nanos the committed attempt ran. For tasks under ~2 us the workers read the clock only every 8th task, so this
     * is then the mean of the last timed span (the busy time per worker stays the real elapsed time).
     */
    public long runNanos(final int task) {
        return runNanos[task];
    }

    /** Worker that ran the committed attempt. */
    public int worker(final int task) {
        return worker[task];
    }

    /** Attempt number that committed. */
    public int attempt(final int task) {
        return attempt[task];
    }

    /** Committed parts (1 unless the morsel was split). */
    public int parts(final int task) {
        return parts[task];
    }

    public boolean stolen(final int task) {
        return (flags[task] & STOLEN) != 0;
    }

    public boolean speculative(final int task) {
        return (flags[task] & SPECULATIVE) != 0;
    }
}
