package io.sluice.engine.os;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Linux scheduler for a short time slice for the calling thread, so the thread runs sooner after it wakes
 * when other processes keep the cores busy: since Linux 6.12 a normal-priority ({@code SCHED_OTHER}) thread may set
 * its own EEVDF slice with {@code sched_setattr(2)} ({@code sched_runtime}, clamped by the kernel to
 * [{@link #MIN_SLICE_NANOS}, {@link #MAX_SLICE_NANOS}]); a waking thread with a shorter slice gets an earlier
 * deadline and preempts a running one with a longer slice. It needs no privilege and changes neither the policy
 * nor the nice value.
 *
 * <p>Best effort: {@link #requestSlice} returns false (and logs once at DEBUG why) where it is not available (not
 * Linux on x86_64 or aarch64, a kernel before 6.12, a refused call, JNA or its native library missing: JNA is an
 * optional dependency of the engine); it never throws. On JDK 24 and later JNA needs
 * {@code --enable-native-access=ALL-UNNAMED}, without which the JDK prints a warning at the first call. Thread-safe.
 */
public final class LatencyThreads {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyThreads.class);

    /** The shortest slice the kernel accepts (0.1 ms); shorter requests are rejected here. */
    public static final long MIN_SLICE_NANOS = 100_000L;
    /** The longest slice the kernel accepts (100 ms). */
    public static final long MAX_SLICE_NANOS = 100_000_000L;

    private LatencyThreads() {
    }

    /**
     * Sets the calling thread's scheduler slice to {@code sliceNanos} (in [{@link #MIN_SLICE_NANOS},
     * {@link #MAX_SLICE_NANOS}]); returns whether the kernel now reports that slice for the thread. Never throws
     * for an unsupported platform; throws {@link IllegalArgumentException} for a slice out of range.
     */
    public static boolean requestSlice(final long sliceNanos) {
        checkSlice(sliceNanos);
        return Native.INSTANCE.setSlice(sliceNanos);
    }

    /**
     * The calling thread's scheduler slice in nanoseconds as the kernel reports it (the default or a requested one),
     * or -1 where that cannot be read (see {@link #requestSlice}); a kernel before 6.12 reports 0. Never throws.
     */
    public static long currentSliceNanos() {
        return Native.INSTANCE.slice();
    }

    /**
     * {@code body} preceded by {@link #requestSlice}{@code (sliceNanos)} on the thread that runs it; {@code body}
     * itself when {@code sliceNanos} is 0 (no request). For a thread's start: {@code new Thread(withSlice(s, body))}.
     */
    public static Runnable withSlice(final long sliceNanos, final Runnable body) {
        if (sliceNanos == 0) {
            return body;
        }
        checkSlice(sliceNanos);
        return () -> {
            requestSlice(sliceNanos);
            body.run();
        };
    }

    /** Throws {@link IllegalArgumentException} naming {@code what} unless {@code sliceNanos} is 0 or in range. */
    public static long checkSliceOrZero(final long sliceNanos, final String what) {
        if (sliceNanos != 0 && (sliceNanos < MIN_SLICE_NANOS || sliceNanos > MAX_SLICE_NANOS)) {
            throw new IllegalArgumentException(what + "=" + sliceNanos + "ns must be 0 (off) or in [" + MIN_SLICE_NANOS
                + ", " + MAX_SLICE_NANOS + "] ns");
        }
        return sliceNanos;
    }

    /**
     * The slice set by system property {@code property} in whole microseconds, in nanoseconds: 0 when unset, blank
     * or 0; {@link IllegalArgumentException} naming the property for anything else outside [100, 100000].
     */
    public static long sliceNanosFromProperty(final String property) {
        final String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return 0;
        }
        final long micros;
        try {
            micros = Long.parseLong(value.trim());
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("system property " + property + "='" + value
                + "' must be a whole number of microseconds", ex);
        }
        if (micros != 0 && (micros < MIN_SLICE_NANOS / 1000 || micros > MAX_SLICE_NANOS / 1000)) {
            throw new IllegalArgumentException("system property " + property + "=" + micros
                + " must be 0 (off) or in [" + MIN_SLICE_NANOS / 1000 + ", " + MAX_SLICE_NANOS / 1000 + "] microseconds");
        }
        return micros * 1000;
    }

    private static void checkSlice(final long sliceNanos) {
        if (sliceNanos < MIN_SLICE_NANOS || sliceNanos > MAX_SLICE_NANOS) {
            throw new IllegalArgumentException("slice=" + sliceNanos + "ns must be in [" + MIN_SLICE_NANOS + ", "
                + MAX_SLICE_NANOS + "] ns");
        }
    }

    /** The syscall numbers of {@code sched_setattr} / {@code sched_getattr} for this JVM, or null if unknown. */
    static long[] syscallNumbers(final String osName, final String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return new long[] {314L, 315L};
            case "aarch64":
                return new long[] {274L, 275L};
            default:
                return null;
        }
    }

    /** The one place that decides availability, so the reason is logged once. */
    private static final class Native {
        static final SchedAttr INSTANCE = load();

        private Native() {
        }

        private static SchedAttr load() {
            final String os = System.getProperty("os.name", "");
            final String arch = System.getProperty("os.arch", "");
            final long[] numbers = syscallNumbers(os, arch);
            if (numbers == null) {
                return SchedAttr.unavailable("no sched_setattr syscall number for os.name=" + os + " os.arch=" + arch);
            }
            try {
                return SchedAttr.linux(numbers[0], numbers[1]);
            } catch (final LinkageError | RuntimeException ex) {
                return SchedAttr.unavailable("JNA or its native library is missing: " + ex);
            }
        }
    }

    static Logger log() {
        return LOG;
    }
}
