package io.sluice.engine.sched;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux timer slack of the calling thread: how late the kernel may fire the thread's timers (a timed
 * {@code LockSupport.parkNanos}, {@code Thread.sleep}) so that it can fire several at once. A thread inherits it from
 * the thread that created it; the default is 50 us, so every timed park of a JVM thread returns about 50 us past its
 * deadline (plus the wake-up itself). Sluice's own threads can set a smaller slack when they start
 * ({@link SchedulerConfig#timerSlackNanos()}, {@link #PROPERTY}): idle workers' backoff parks, a sleeping task's
 * parks and the stream generator's batch-boundary waits then end closer to their deadline. The cost is fewer
 * coalesced wake-ups: each timer fires on its own, which costs these threads CPU time (and power on an idle machine).
 *
 * <p>A thread may set its own slack without privileges by writing {@code /proc/<tid>/timerslack_ns} (Linux 4.6+;
 * the kernel asks for CAP_SYS_NICE only to change another thread's). Best effort: elsewhere, or on any I/O error,
 * {@link #trySetForCurrentThread} returns false, logs once at DEBUG and leaves the slack as it was. Threads the
 * thread creates afterwards inherit the new slack.
 */
public final class TimerSlack {
    /** System property: the timer slack in nanoseconds Sluice's threads set; 0 or negative leaves the inherited one. */
    public static final String PROPERTY = "sluice.timerSlackNanos";
    /**
     * 0: leave the inherited slack. Measured on Linux 6.18 (2-core AMD EPYC VM, load 5-18, see
     * perf-reports/2026-11-30-timer-slack): a 20 us - 2 ms park overshot its deadline by a median 65-80 us at the
     * OS's 50 us slack and 15-35 us at 1 us, but the scheduling sweep's 2 ms stages used 1.4-1.8x the workers' CPU
     * at 1 us and ended no earlier, and the stream's p99 latency was higher; a quiet re-run decides.
     */
    public static final long DEFAULT_NANOS = 0;

    private static final Logger LOG = LoggerFactory.getLogger(TimerSlack.class);
    static final Path PROC = Path.of("/proc");
    private static final String FILE = "timerslack_ns";
    private static final boolean LINUX =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private TimerSlack() {
    }

    /** {@link #PROPERTY}, or {@link #DEFAULT_NANOS} when unset; throws naming the value when it is not a number. */
    public static long configuredNanos() {
        return parse(System.getProperty(PROPERTY));
    }

    static long parse(final String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_NANOS;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a whole number of nanoseconds", ex);
        }
    }

    /**
     * Sets the calling thread's timer slack to {@code nanos}; returns whether it did. Nothing for {@code nanos <= 0}
     * (returns false, the thread keeps its slack). Never throws.
     */
    public static boolean trySetForCurrentThread(final long nanos) {
        return trySetForCurrentThread(PROC, nanos);
    }

    /** {@link #trySetForCurrentThread(long)} through the proc file system mounted at {@code proc}. */
    static boolean trySetForCurrentThread(final Path proc, final long nanos) {
        if (nanos <= 0) {
            return false;
        }
        if (!LINUX) {
            logOnce(nanos, "not Linux: os.name=" + System.getProperty("os.name"));
            return false;
        }
        try {
            Files.write(currentThreadFile(proc), Long.toString(nanos).getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return true;
        } catch (final IOException | RuntimeException ex) {
            logOnce(nanos, ex.toString());
            return false;
        }
    }

    /** The calling thread's timer slack in nanoseconds, or -1 where it cannot be read. Never throws. */
    public static long currentThreadNanos() {
        if (!LINUX) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readString(currentThreadFile(PROC), StandardCharsets.US_ASCII).trim());
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
    }

    /**
     * {@code body} preceded by {@link #trySetForCurrentThread(long)} with {@link #configuredNanos()} (read now, on the
     * calling thread, so a bad property fails here): the body of a thread Sluice starts.
     */
    public static Runnable withConfiguredSlack(final Runnable body) {
        return withSlack(configuredNanos(), body);
    }

    /** {@code body} preceded by {@link #trySetForCurrentThread(long)} with {@code nanos}. */
    static Runnable withSlack(final long nanos, final Runnable body) {
        return () -> {
            trySetForCurrentThread(nanos);
            body.run();
        };
    }

    /**
     * {@code <proc>/<tid>/timerslack_ns}: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}, whose own
     * folder has no timerslack_ns, but {@code /proc/<tid>} is the thread itself (not its process).
     */
    private static Path currentThreadFile(final Path proc) throws IOException {
        final Path self = Files.readSymbolicLink(proc.resolve("thread-self"));
        return proc.resolve(self.getFileName().toString()).resolve(FILE);
    }

    private static void logOnce(final long nanos, final String reason) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.debug("timer slack of {} ns not set, threads keep the inherited slack (logged once): {}", nanos, reason);
        }
    }
}
