package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TimerSlack} and the worker threads that set it. The read-back tests run where the calling thread's
 * {@code /proc/<tid>/timerslack_ns} can be read (Linux 4.6+) and are skipped elsewhere; every value is set on a
 * thread the test starts, so the test runner's own threads keep theirs.
 */
@Timeout(120)
class TimerSlackTest {
    private static final int TASKS = 64;
    private static final long CONFIGURED = 23_456;
    private static final long INHERITED = 31_313;

    @TempDir
    Path temp;

    /** Runs {@code body} on a new thread and returns what it returned, rethrowing what it threw. */
    private static <T> T onNewThread(final ThrowingSupplier<T> body) throws Exception {
        final AtomicReference<T> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() -> {
            try {
                result.set(body.get());
            } catch (final Throwable t) {
                failure.set(t);
            }
        }, "timer-slack-test");
        thread.start();
        thread.join();
        if (failure.get() instanceof Exception) {
            throw (Exception) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static void assumeReadable() {
        assumeTrue(TimerSlack.currentThreadNanos() > 0, "no readable /proc/<tid>/timerslack_ns here");
    }

    @Test
    void propertyValueIsParsedOrNamedWhenBad() {
        assertEquals(TimerSlack.DEFAULT_NANOS, TimerSlack.parse(null));
        assertEquals(TimerSlack.DEFAULT_NANOS, TimerSlack.parse(" "));
        assertEquals(250, TimerSlack.parse(" 250 "));
        assertEquals(0, TimerSlack.parse("0"));
        assertEquals(-1, TimerSlack.parse("-1"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TimerSlack.parse("1us"));
        assertTrue(ex.getMessage().contains(TimerSlack.PROPERTY + "=1us"), ex.getMessage());
    }

    @Test
    void threadReadsBackTheSlackItSetAndOthersKeepTheirs() throws Exception {
        assumeReadable();
        final long mine = TimerSlack.currentThreadNanos();
        final long[] seen = onNewThread(() -> {
            final boolean first = TimerSlack.trySetForCurrentThread(12_345);
            final long afterFirst = TimerSlack.currentThreadNanos();
            final boolean second = TimerSlack.trySetForCurrentThread(54_321);
            return new long[] {first ? 1 : 0, afterFirst, second ? 1 : 0, TimerSlack.currentThreadNanos()};
        });
        assertEquals(1, seen[0]);
        assertEquals(12_345, seen[1]);
        assertEquals(1, seen[2]);
        assertEquals(54_321, seen[3]);
        assertEquals(mine, TimerSlack.currentThreadNanos(), "another thread's slack changed this one's");
    }

    @Test
    void zeroOrNegativeLeavesTheSlack() throws Exception {
        assumeReadable();
        final long[] seen = onNewThread(() -> {
            assertTrue(TimerSlack.trySetForCurrentThread(7_777));
            final boolean zero = TimerSlack.trySetForCurrentThread(0);
            final boolean negative = TimerSlack.trySetForCurrentThread(-1);
            return new long[] {zero ? 1 : 0, negative ? 1 : 0, TimerSlack.currentThreadNanos()};
        });
        assertEquals(0, seen[0]);
        assertEquals(0, seen[1]);
        assertEquals(7_777, seen[2]);
    }

    @Test
    void writesTheFileOfTheThreadThatThreadSelfNames() throws IOException {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux"));
        Files.createSymbolicLink(temp.resolve("thread-self"), Path.of("77", "task", "88"));
        Files.createDirectories(temp.resolve("88"));
        final Path file = Files.writeString(temp.resolve("88").resolve("timerslack_ns"), "50000\n");
        assertTrue(TimerSlack.trySetForCurrentThread(temp, 5_000));
        assertEquals("5000", Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void failuresReturnFalseAndNeverThrow() throws IOException {
        assertFalse(TimerSlack.trySetForCurrentThread(temp.resolve("missing"), 1_000));
        // A thread-self that is no link, then one whose timerslack_ns is a folder (the write fails).
        Files.createDirectories(temp.resolve("thread-self"));
        assertFalse(TimerSlack.trySetForCurrentThread(temp, 1_000));
        final Path proc = Files.createDirectories(temp.resolve("proc"));
        Files.createSymbolicLink(proc.resolve("thread-self"), Path.of("77", "task", "88"));
        Files.createDirectories(proc.resolve("88").resolve("timerslack_ns"));
        assertFalse(TimerSlack.trySetForCurrentThread(proc, 1_000));
    }

    /** The slack a thread started by a thread whose slack is {@link #INHERITED}, running {@code wrap(body)}, saw first. */
    private static long slackSeenByChild(final UnaryOperator<Runnable> wrap) throws Exception {
        return onNewThread(() -> {
            assertTrue(TimerSlack.trySetForCurrentThread(INHERITED));
            final long[] inner = new long[1];
            final Thread child = new Thread(wrap.apply(() -> inner[0] = TimerSlack.currentThreadNanos()));
            child.start();
            child.join();
            return inner[0];
        });
    }

    @Test
    void slackIsSetBeforeTheBodyRuns() throws Exception {
        assumeReadable();
        assertEquals(CONFIGURED, slackSeenByChild(body -> TimerSlack.withSlack(CONFIGURED, body)));
        assertEquals(INHERITED, slackSeenByChild(body -> TimerSlack.withSlack(0, body)), "0 keeps the inherited slack");
        final long configured = TimerSlack.configuredNanos();
        assertEquals(configured > 0 ? configured : INHERITED, slackSeenByChild(TimerSlack::withConfiguredSlack));
    }

    /**
     * Starts a 2-worker scheduler configured by {@code config} on a thread whose slack is {@link #INHERITED} (the
     * workers inherit it), runs a stage of {@link #TASKS} tasks on the workers only, and returns the slack each
     * task's thread had (-1 where unreadable). Every task must commit its own id.
     */
    private static List<Long> slackSeenByTasks(final SchedulerConfig.Builder config) throws Exception {
        return onNewThread(() -> {
            TimerSlack.trySetForCurrentThread(INHERITED);
            final ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Task.of(ctx -> {
                    seen.add(TimerSlack.currentThreadNanos());
                    return ctx.taskId();
                }));
            }
            try (Scheduler scheduler = Scheduler.create(config.workers(2).callerRuns(false).speculation(false).build())) {
                final List<Integer> results = scheduler.run(Stage.of("slack", tasks)).results();
                for (int i = 0; i < TASKS; i++) {
                    assertEquals(i, results.get(i));
                }
            }
            assertTrue(seen.size() >= TASKS, "attempts=" + seen.size());
            return new ArrayList<>(seen);
        });
    }

    @Test
    void workersRunWithTheConfiguredSlack() throws Exception {
        assumeReadable();
        final List<Long> seen = slackSeenByTasks(SchedulerConfig.builder().name("slack-set").timerSlackNanos(CONFIGURED));
        for (final long slack : seen) {
            assertEquals(CONFIGURED, slack);
        }
    }

    @Test
    void zeroLeavesTheWorkersTheInheritedSlack() throws Exception {
        assumeReadable();
        final SchedulerConfig.Builder config = SchedulerConfig.builder().name("slack-zero").timerSlackNanos(0);
        assertEquals(0, config.build().timerSlackNanos());
        for (final long slack : slackSeenByTasks(config)) {
            assertEquals(INHERITED, slack);
        }
    }

    @Test
    void aSlackThatCannotBeSetNeverFailsTheScheduler() throws Exception {
        final List<Long> seen = slackSeenByTasks(SchedulerConfig.builder().name("slack-fail")
            .timerSlackNanos(CONFIGURED).timerSlackProc(temp.resolve("no-proc")));
        for (final long slack : seen) {
            // The workers could not set theirs: they run with the inherited slack (or none readable here).
            assertTrue(slack == INHERITED || slack == -1, "slack=" + slack);
        }
    }
}
