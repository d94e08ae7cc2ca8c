package io.sluice.engine.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * {@link LatencyThreads}: the request's contract everywhere (a boolean, never an exception for the platform), the
 * kernel's read-back where custom slices exist (Linux 6.12+ on x86_64 / aarch64), and the argument checks.
 */
public class LatencyThreadsTest {
    private static final long SLICE = 100_000L;

    /** Whether this JVM's kernel and architecture support a custom slice (Linux 6.12 or later on x86_64 / aarch64). */
    public static boolean customSlicesSupported() {
        if (LatencyThreads.syscallNumbers(System.getProperty("os.name"), System.getProperty("os.arch")) == null) {
            return false;
        }
        final String[] version = System.getProperty("os.version").split("[.-]");
        try {
            final int major = Integer.parseInt(version[0]);
            final int minor = Integer.parseInt(version[1]);
            return major > 6 || major == 6 && minor >= 12;
        } catch (final NumberFormatException | ArrayIndexOutOfBoundsException ex) {
            return false;
        }
    }

    /** Runs {@code call} on a new thread (so no test changes the test runner's thread) and returns its result. */
    private static <T> T onNewThread(final Callable<T> call) throws InterruptedException, ExecutionException {
        final FutureTask<T> task = new FutureTask<>(call);
        new Thread(task, "slice-test").start();
        return task.get();
    }

    @Test
    void requestReturnsWhetherTheKernelReportsTheSliceAndNeverThrows() throws Exception {
        final List<Long> seen = onNewThread(() -> {
            final List<Long> values = new ArrayList<>();
            values.add(LatencyThreads.requestSlice(SLICE) ? 1L : 0L);
            values.add(LatencyThreads.currentSliceNanos());
            return values;
        });
        if (seen.get(0) == 1L) {
            assertEquals(SLICE, seen.get(1), "a granted request reads back as the thread's slice");
        } else {
            assertTrue(seen.get(1) != SLICE, "a refused request does not read back as granted: " + seen);
        }
        assumeTrue(customSlicesSupported(), "custom slices need Linux 6.12+ on x86_64 or aarch64");
        assertEquals(List.of(1L, SLICE), seen, "granted on a kernel with custom slices");
    }

    @Test
    void aGrantedSliceIsPerThread() throws Exception {
        assumeTrue(customSlicesSupported(), "custom slices need Linux 6.12+ on x86_64 or aarch64");
        final long longer = 3 * SLICE;
        final List<Long> seen = onNewThread(() -> {
            final List<Long> values = new ArrayList<>();
            values.add(LatencyThreads.requestSlice(longer) ? LatencyThreads.currentSliceNanos() : -2L);
            values.add(onNewThread(() -> LatencyThreads.requestSlice(SLICE) ? LatencyThreads.currentSliceNanos() : -2L));
            values.add(LatencyThreads.currentSliceNanos());
            return values;
        });
        assertEquals(List.of(longer, SLICE, longer), seen, "another thread's request leaves this thread's slice");
    }

    @Test
    void withSliceRunsTheBodyAfterTheRequestAndZeroIsTheBodyItself() throws Exception {
        final Runnable body = () -> { };
        assertSame(body, LatencyThreads.withSlice(0, body));
        final AtomicInteger runs = new AtomicInteger();
        final Long slice = onNewThread(() -> {
            LatencyThreads.withSlice(SLICE, runs::incrementAndGet).run();
            return LatencyThreads.currentSliceNanos();
        });
        assertEquals(1, runs.get());
        assumeTrue(customSlicesSupported(), "custom slices need Linux 6.12+ on x86_64 or aarch64");
        assertEquals(SLICE, slice);
    }

    @Test
    void whereUnavailableARequestIsRefusedAndTheSliceUnknown() {
        final SchedAttr unavailable = SchedAttr.unavailable("test");
        assertEquals(false, unavailable.setSlice(SLICE));
        assertEquals(false, unavailable.setSlice(SLICE), "refused again (logged once)");
        assertEquals(-1, unavailable.slice());
    }

    @Test
    void slicesOutOfTheKernelsRangeAreRejected() {
        for (final long bad : new long[] {-1, 1, LatencyThreads.MIN_SLICE_NANOS - 1, LatencyThreads.MAX_SLICE_NANOS + 1}) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LatencyThreads.requestSlice(bad));
            assertTrue(ex.getMessage().contains("slice=" + bad + "ns"), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LatencyThreads.withSlice(bad, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> LatencyThreads.checkSliceOrZero(bad, "x"));
        }
        assertEquals(0, LatencyThreads.checkSliceOrZero(0, "x"));
        assertEquals(LatencyThreads.MIN_SLICE_NANOS, LatencyThreads.checkSliceOrZero(LatencyThreads.MIN_SLICE_NANOS, "x"));
        assertEquals(LatencyThreads.MAX_SLICE_NANOS, LatencyThreads.checkSliceOrZero(LatencyThreads.MAX_SLICE_NANOS, "x"));
    }

    @Test
    void syscallNumbersExistOnlyForLinuxOnX86AndArm() {
        assertArrayEquals(new long[] {314L, 315L}, LatencyThreads.syscallNumbers("Linux", "amd64"));
        assertArrayEquals(new long[] {274L, 275L}, LatencyThreads.syscallNumbers("Linux", "aarch64"));
        assertNull(LatencyThreads.syscallNumbers("Linux", "riscv64"));
        assertNull(LatencyThreads.syscallNumbers("Mac OS X", "aarch64"));
        assertNull(LatencyThreads.syscallNumbers("Windows 11", "amd64"));
    }

    @Test
    void thePropertyIsWholeMicrosecondsAndABadValueNamesIt() {
        final String property = "sluice.test.slice." + System.nanoTime();
        try {
            assertEquals(0, LatencyThreads.sliceNanosFromProperty(property));
            System.setProperty(property, " 250 ");
            assertEquals(250_000L, LatencyThreads.sliceNanosFromProperty(property));
            System.setProperty(property, "0");
            assertEquals(0, LatencyThreads.sliceNanosFromProperty(property));
            for (final String bad : new String[] {"99", "100001", "-5", "0.5", "fast"}) {
                System.setProperty(property, bad);
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> LatencyThreads.sliceNanosFromProperty(property));
                assertTrue(ex.getMessage().contains(property) && ex.getMessage().contains(bad.trim()), ex.getMessage());
            }
        } finally {
            System.clearProperty(property);
        }
    }
}
