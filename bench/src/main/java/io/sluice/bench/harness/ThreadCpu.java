package io.sluice.bench.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of this JVM's threads, read per thread (to the nanosecond where the OS keeps per-thread clocks), unlike
 * the process total, which moves in scheduler ticks. On a loaded machine a run's wall time grows with the time its
 * threads wait for a core, its CPU time does not: the CPU a run burns is what its scheduling costs.
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Whether the JVM reports per-thread CPU time. */
    public static boolean supported() {
        return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** CPU time of every live thread now, by thread id (empty if not {@link #supported()}). */
    public static Map<Long, Long> snapshot() {
        final Map<Long, Long> cpu = new HashMap<>();
        if (!supported()) {
            return cpu;
        }
        for (final long id : THREADS.getAllThreadIds()) {
            final long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /** CPU time now of the live threads whose name {@code name} accepts, by thread id (empty if not {@link #supported()}). */
    public static Map<Long, Long> snapshot(final Predicate<String> name) {
        final Map<Long, Long> cpu = new HashMap<>();
        if (!supported()) {
            return cpu;
        }
        for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && name.test(info.getThreadName())) {
                final long t = THREADS.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                }
            }
        }
        return cpu;
    }

    /**
     * CPU time the live threads used since {@code before} (a thread started since counts from zero; one that ended
     * since is lost, so read this before closing a pool), or -1 if not {@link #supported()}.
     */
    public static long since(final Map<Long, Long> before) {
        if (!supported()) {
            return -1;
        }
        return delta(before, snapshot());
    }

    /** Sum over {@code after}'s threads of their CPU time minus their time in {@code before} (0 if absent there). */
    public static long delta(final Map<Long, Long> before, final Map<Long, Long> after) {
        long sum = 0;
        for (final Map.Entry<Long, Long> e : after.entrySet()) {
            sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }
}
