package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Scheduler} must show, whatever its policy (JCTools QueueSanityTest style): one
 * subclass per policy supplies the policy.
 */
@Timeout(60)
abstract class SchedulerSanityTest {
    private static final int TASKS = 120;

    protected abstract Placement.Factory policy();

    protected SchedulerConfig.Builder config(final String name) {
        return SchedulerConfig.builder().name(policy().name() + "-" + name).placement(policy()).workers(3).minMorselRows(64);
    }

    /** Task i returns i * i; splittable task i sums its rows [0, 1000 + 37 i). */
    private static Stage<Long> mixedStage() {
        final List<Task<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            if (i % 3 == 0) {
                tasks.add(Task.splittable(0, 1000 + 37L * i, SchedulerSanityTest::sumRows, Long::sum));
            } else {
                tasks.add(Task.of(ctx -> (long) ctx.taskId() * ctx.taskId()));
            }
        }
        return Stage.of("mixed", tasks);
    }

    private static Long sumRows(final TaskContext ctx) {
        long sum = 0;
        for (long r = ctx.from(); r < ctx.to(); r++) {
            sum += r;
        }
        return sum;
    }

    private static void assertMixedResults(final StageResult<Long> result) {
        assertEquals(TASKS, result.results().size());
        for (int i = 0; i < TASKS; i++) {
            if (i % 3 == 0) {
                final long n = 1000 + 37L * i;
                // A part committed twice or never would change the sum (or leave the task unfinished).
                assertEquals(n * (n - 1) / 2, result.result(i), "task " + i);
            } else {
                assertEquals((long) i * i, result.result(i), "task " + i);
                assertEquals(1, result.metrics().parts(i), "task " + i + " committed parts");
            }
        }
    }

    @Test
    void everyTaskCommitsExactlyOnceWithoutFaults() {
        for (long seed = 1; seed <= 5; seed++) {
            try (Scheduler scheduler = Scheduler.create(config("plain").seed(seed).build())) {
                for (int round = 0; round < 4; round++) {
                    assertMixedResults(scheduler.run(mixedStage()));
                }
            }
        }
    }

    @Test
    void everyTaskCommitsExactlyOnceWithFailuresAndStragglers() {
        for (long seed = 1; seed <= 12; seed++) {
            final FaultInjection faults = FaultInjection.none().withSeed(seed).failAttempts(0.2)
                .slowWorker((int) (seed % 3), 4.0);
            try (Scheduler scheduler = Scheduler.create(config("faults").seed(seed).maxAttempts(12).faults(faults).build())) {
                final StageResult<Long> result = scheduler.run(mixedStage());
                assertMixedResults(result);
                assertTrue(result.summary().retries() > 0, "retries with p=0.2: " + result.summary());
            }
        }
    }

    @Test
    void killedWorkerIsReplacedAndItsTasksStillCommit() throws InterruptedException {
        final FaultInjection faults = FaultInjection.none().killWorkerAfter(1, 5);
        try (Scheduler scheduler = Scheduler.create(config("kill").faults(faults).build())) {
            final List<Thread> originals = workerThreads(scheduler.config().name());
            assertEquals(3, originals.size());
            final StageResult<Integer> result = scheduler.run(heldUntilReplaced(60, 1, replacementLatch(scheduler)));
            for (int i = 0; i < 60; i++) {
                assertEquals(i, result.result(i));
                assertEquals(1, result.metrics().parts(i));
            }
            assertEquals(1, result.summary().workerReplacements());
            assertMixedResults(scheduler.run(mixedStage()));
            // The dying thread re-queues its morsel before it starts its replacement, so both stages may end before
            // it does (3 threads, then 4, then 3): wait for the end state, the killed thread gone and 3 live workers.
            final String name = scheduler.config().name();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (originals.stream().filter(Thread::isAlive).count() != 2 || liveWorkerThreads(name) != 3) {
                assertTrue(System.nanoTime() < deadline, "workers " + workerThreads(name) + ", originals " + originals);
                Thread.sleep(5);
            }
            assertEquals(3, liveWorkerThreads(name));
        }
        assertEquals(0, liveWorkerThreads(policy().name() + "-kill"));
    }

    @Test
    void failureAfterMaxAttemptsNamesTaskAttemptsAndCausesAndPoolStaysUsable() {
        // Speculation off: on a loaded machine a preempted attempt may look like a straggler and get a copy,
        // whose failure would count as a fourth attempt.
        try (Scheduler scheduler = Scheduler.create(config("fail").maxAttempts(3).speculation(false).build())) {
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(Task.of(ctx -> {
                    if (ctx.taskId() == 7) {
                        throw new IllegalStateException("boom attempt " + ctx.attempt());
                    }
                    return ctx.taskId();
                }));
            }
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("failing", tasks)));
            assertEquals(7, ex.task());
            assertEquals(3, ex.attempts());
            assertEquals("failing", ex.stage());
            assertTrue(ex.getMessage().contains("task=7 failed attempts=3"), ex.getMessage());
            assertEquals(3, ex.getSuppressed().length);
            for (final Throwable cause : ex.getSuppressed()) {
                assertTrue(cause.getMessage().startsWith("boom attempt "), cause.getMessage());
            }
            assertMixedResults(scheduler.run(mixedStage()));
        }
    }

    @Test
    void closeDuringRunningStageFailsItAndLeavesNoWorkerThread() throws InterruptedException {
        final Scheduler scheduler = Scheduler.create(config("close").build());
        final String name = scheduler.config().name();
        final CountDownLatch started = new CountDownLatch(1);
        final List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tasks.add(Task.of(ctx -> {
                started.countDown();
                // Until close() interrupts it: a fixed sleep let a stalled test thread see the stage finish first.
                Thread.sleep(600_000);
                return ctx.taskId();
            }));
        }
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread caller = new Thread(() -> {
            try {
                scheduler.run(Stage.of("long", tasks));
                outcome.set(new AssertionError("stage of sleeping tasks finished before close"));
            } catch (final Throwable t) {
                outcome.set(t);
            }
        });
        caller.start();
        started.await();
        scheduler.close();
        caller.join();
        assertTrue(outcome.get() instanceof StageFailedException, String.valueOf(outcome.get()));
        assertTrue(outcome.get().getMessage().contains("closed"), outcome.get().getMessage());
        assertEquals(0, liveWorkerThreads(name));
        assertThrows(IllegalStateException.class, () -> scheduler.run(mixedStage()));
    }

    @Test
    void metricsRecordRunTimeWorkerAttemptAndBusyTime() {
        try (Scheduler scheduler = Scheduler.create(config("metrics").speculation(false).build())) {
            final StageResult<Integer> result = scheduler.run(WorkStealingSchedulerTest.sleepingStage(12, 2));
            long runSum = 0;
            for (int i = 0; i < 12; i++) {
                assertTrue(result.metrics().runNanos(i) >= 2_000_000L, "task " + i + " ran " + result.metrics().runNanos(i));
                assertTrue(result.metrics().queueWaitNanos(i) >= 0);
                // A worker, or the caller's pseudo-worker (one past the last) with caller-runs.
                assertTrue(result.metrics().worker(i) >= 0 && result.metrics().worker(i) < result.summary().workers());
                assertEquals(1, result.metrics().attempt(i));
                assertTrue(!result.metrics().speculative(i));
                runSum += result.metrics().runNanos(i);
            }
            long busySum = 0;
            for (int w = 0; w < result.summary().workers(); w++) {
                busySum += result.summary().busyNanos(w);
            }
            assertEquals(runSum, busySum, "busy time is the sum of the committed run times when nothing failed");
            // 12 tasks of 2 ms on the threads that ran them (3 workers, plus the caller with caller-runs).
            assertTrue(result.summary().makespanNanos() >= 12 / result.summary().workers() * 2_000_000L,
                result.summary().toString());
            assertEquals(0, result.summary().retries());
        }
    }

    @Test
    void emptyStageFinishesAtOnce() {
        try (Scheduler scheduler = Scheduler.create(config("empty").build())) {
            assertEquals(0, scheduler.run(Stage.<Integer>of("empty", List.of())).results().size());
        }
    }

    @Test
    void workerThreadsAreNamedAndNotDaemon() {
        try (Scheduler scheduler = Scheduler.create(config("names").build())) {
            int found = 0;
            for (final Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("sluice-worker-" + scheduler.config().name() + "-")) {
                    assertTrue(!t.isDaemon(), t.getName() + " is a daemon");
                    found++;
                }
            }
            assertEquals(3, found);
        }
    }

    /**
     * {@code tasks} tasks of 1 ms returning their id; attempts on any slot but {@code victim} first wait (60 s at most,
     * a safety net) until {@code replaced} opens. So {@code victim}, set to die at its n-th morsel, takes it however
     * late its thread runs: with plain 1 ms tasks a descheduled victim let the others finish all of them, and nothing died.
     */
    static Stage<Integer> heldUntilReplaced(final int tasks, final int victim, final CountDownLatch replaced) {
        final List<Task<Integer>> list = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            list.add(Task.of(ctx -> {
                if (ctx.worker() != victim && !replaced.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("worker " + victim + " was never replaced");
                }
                sleepScaled(ctx, 1);
                return ctx.taskId();
            }));
        }
        return Stage.of("held", list);
    }

    /** A latch that opens when {@code scheduler} replaces a worker (a listener added to it). */
    static CountDownLatch replacementLatch(final Scheduler scheduler) {
        final CountDownLatch replaced = new CountDownLatch(1);
        scheduler.addListener(new SchedulerListener() {
            @Override
            public void onWorkerReplaced(final Stage<?> stage, final int worker, final long nanos) {
                replaced.countDown();
            }
        });
        return replaced;
    }

    static int liveWorkerThreads(final String poolName) {
        return workerThreads(poolName).size();
    }

    static List<Thread> workerThreads(final String poolName) {
        final List<Thread> live = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("sluice-worker-" + poolName + "-")) {
                live.add(t);
            }
        }
        return live;
    }

    static void sleepScaled(final TaskContext ctx, final long millis) {
        try {
            Thread.sleep((long) (millis * ctx.slowdown()));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
