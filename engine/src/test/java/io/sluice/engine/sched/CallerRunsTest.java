package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Caller-runs: the thread that calls {@link Scheduler#run} runs tasks itself while it waits. Every test makes the
 * workers wait (60 s at most, a safety net) until the caller took its part, so what the caller runs does not depend
 * on how promptly the threads are scheduled.
 */
@Timeout(120)
class CallerRunsTest {
    private static final int WORKERS = 2;

    private static SchedulerConfig.Builder config(final String name, final SchedulingPolicy policy) {
        return SchedulerConfig.builder().name("caller-" + name).policy(policy).workers(WORKERS).minMorselRows(64);
    }

    /** Worker-run attempts wait here until the caller ran (or started) one: the caller then surely takes a task. */
    private static void awaitCaller(final TaskContext ctx, final CountDownLatch callerStarted) throws InterruptedException {
        if (ctx.worker() < WORKERS && !callerStarted.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the caller never ran a task");
        }
    }

    private static void awaitCancelled(final TaskContext ctx) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ctx.isCancelled()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + ctx.taskId() + " was never cancelled");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void callerRunsTasksReportedAsThePseudoWorkerEverywhere() {
        for (final SchedulingPolicy policy : new SchedulingPolicy[] {SchedulingPolicy.WORK_STEALING, SchedulingPolicy.CENTRAL_QUEUE}) {
            final Thread caller = Thread.currentThread();
            final ConcurrentLinkedQueue<int[]> events = new ConcurrentLinkedQueue<>();
            // Speculation off: a copy of the caller's attempt, descheduled after it ran, could commit on a worker.
            try (Scheduler scheduler = Scheduler.create(config("report-" + policy, policy).callerRuns(true)
                .speculation(false).build())) {
                assertEquals(WORKERS, scheduler.config().callerWorker());
                scheduler.addListener(new SchedulerListener() {
                    @Override
                    public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker,
                                              final long startNanos, final long endNanos, final int flags) {
                        events.add(new int[] {task, worker, flags});
                    }
                });
                final CountDownLatch callerRan = new CountDownLatch(1);
                final AtomicIntegerArray onCaller = new AtomicIntegerArray(40);
                final List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    tasks.add(Task.of(ctx -> {
                        awaitCaller(ctx, callerRan);
                        if (Thread.currentThread() == caller) {
                            assertEquals(WORKERS, ctx.worker());
                            onCaller.set(ctx.taskId(), 1);
                            callerRan.countDown();
                        }
                        return ctx.taskId() * 3;
                    }));
                }
                final StageResult<Integer> result = scheduler.run(Stage.of("report", tasks));
                assertEquals(WORKERS + 1, result.summary().workers(), "the caller's busy slot is reported");
                int callerTasks = 0;
                for (int i = 0; i < 40; i++) {
                    assertEquals(i * 3, result.result(i));
                    final boolean ranOnCaller = onCaller.get(i) == 1;
                    assertEquals(ranOnCaller, result.metrics().worker(i) == WORKERS, "task " + i);
                    callerTasks += ranOnCaller ? 1 : 0;
                }
                assertTrue(callerTasks >= 1, "caller ran no task");
                assertTrue(result.summary().busyNanos(WORKERS) >= 0);
                int committed = 0;
                for (final int[] e : events) {
                    if ((e[2] & SchedulerListener.COMMITTED) != 0) {
                        committed++;
                        assertEquals(onCaller.get(e[0]) == 1, e[1] == WORKERS, "listener worker of task " + e[0]);
                    }
                }
                assertEquals(40, committed);
            }
        }
    }

    @Test
    void withoutCallerRunsOrUnderStaticPlacementTheCallerOnlyWaits() {
        final Thread caller = Thread.currentThread();
        final SchedulerConfig[] configs = {
            config("off", SchedulingPolicy.WORK_STEALING).callerRuns(false).build(),
            config("static", SchedulingPolicy.STATIC).build(),
            // Static placement keeps its baseline behaviour even when asked: its claims let no one else take a task.
            config("static-on", SchedulingPolicy.STATIC).callerRuns(true).build(),
        };
        assertFalse(configs[1].callerRuns(), "static placement defaults to a waiting caller");
        assertTrue(config("ws", SchedulingPolicy.WORK_STEALING).build().callerRuns(), "on by default for work stealing");
        for (final SchedulerConfig config : configs) {
            final AtomicBoolean ranOnCaller = new AtomicBoolean();
            try (Scheduler scheduler = Scheduler.create(config)) {
                final List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    tasks.add(Task.of(ctx -> {
                        if (Thread.currentThread() == caller) {
                            ranOnCaller.set(true);
                        }
                        return ctx.taskId();
                    }));
                }
                final StageResult<Integer> result = scheduler.run(Stage.of("waiting", tasks));
                assertFalse(ranOnCaller.get(), config.name());
                for (int i = 0; i < 200; i++) {
                    assertEquals(i, result.result(i));
                    assertTrue(result.metrics().worker(i) < WORKERS);
                }
            }
        }
    }

    @Test
    void callersHangingAttemptIsCopiedAndInterruptedAndTheCallerStaysUsable() {
        final Thread caller = Thread.currentThread();
        try (Scheduler scheduler = Scheduler.create(config("hang", SchedulingPolicy.WORK_STEALING).build())) {
            final CountDownLatch callerStarted = new CountDownLatch(1);
            final AtomicBoolean hung = new AtomicBoolean();
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(Task.of(ctx -> {
                    awaitCaller(ctx, callerStarted);
                    if (Thread.currentThread() == caller && hung.compareAndSet(false, true)) {
                        callerStarted.countDown();
                        // Until the winning copy interrupts it (a safety net past the test's timeout).
                        Thread.sleep(600_000);
                    } else {
                        Thread.sleep(3);
                    }
                    return ctx.taskId() * 10;
                }));
            }
            final StageResult<Integer> result = scheduler.run(Stage.of("hang", tasks));
            assertFalse(Thread.currentThread().isInterrupted(), "the scheduler's interrupt leaked to the caller");
            int copies = 0;
            for (int i = 0; i < 20; i++) {
                assertEquals(i * 10, result.result(i));
                copies += result.metrics().speculative(i) ? 1 : 0;
            }
            assertTrue(copies >= 1, "the caller's hanging attempt was not copied");
            final StageResult<Integer> again = scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 1), Task.of(ctx -> 2))));
            assertEquals(List.of(1, 2), again.results());
        }
    }

    @Test
    void stageFailingWhileTheCallerRunsATaskInterruptsItAndFailsLoudly() {
        final Thread caller = Thread.currentThread();
        try (Scheduler scheduler = Scheduler.create(config("fail", SchedulingPolicy.WORK_STEALING).maxAttempts(1)
            .speculation(false).build())) {
            final CountDownLatch callerStarted = new CountDownLatch(1);
            final AtomicBoolean interrupted = new AtomicBoolean();
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(Task.of(ctx -> {
                    if (Thread.currentThread() == caller) {
                        callerStarted.countDown();
                        try {
                            Thread.sleep(600_000);
                        } catch (final InterruptedException ex) {
                            interrupted.set(true);
                            throw ex;
                        }
                        return 0;
                    }
                    awaitCaller(ctx, callerStarted);
                    throw new IllegalStateException("boom in task " + ctx.taskId());
                }));
            }
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("failing", tasks)));
            assertTrue(ex.getMessage().contains("failed attempts=1"), ex.getMessage());
            assertTrue(interrupted.get(), "the caller's attempt was not interrupted when the stage failed");
            assertFalse(Thread.currentThread().isInterrupted(), "the scheduler's interrupt leaked to the caller");
            assertEquals(List.of(7), scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 7)))).results());
        }
    }

    @Test
    void applicationInterruptOfTheCallerFailsTheStageAndIsKept() {
        final Thread caller = Thread.currentThread();
        try (Scheduler scheduler = Scheduler.create(config("interrupt", SchedulingPolicy.WORK_STEALING).build())) {
            final CountDownLatch callerRan = new CountDownLatch(1);
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                tasks.add(Task.of(ctx -> {
                    awaitCaller(ctx, callerRan);
                    if (Thread.currentThread() == caller && callerRan.getCount() == 1) {
                        // The application interrupts its own thread (here from inside a task it runs).
                        caller.interrupt();
                        callerRan.countDown();
                    } else if (Thread.currentThread() != caller) {
                        // The workers' tasks hold the stage open until it fails, so the caller sees its interrupt
                        // before the workers could finish every task (a stage that completed first returns normally).
                        awaitCancelled(ctx);
                    }
                    return ctx.taskId();
                }));
            }
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("app", tasks)));
            assertTrue(ex.getMessage().contains("caller thread interrupted"), ex.getMessage());
            assertTrue(Thread.interrupted(), "the application's interrupt was swallowed");
            assertEquals(List.of(5), scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 5)))).results());
        }
    }

    @Test
    void failingAttemptOnTheCallerIsRetriedByTheWorkers() {
        final Thread caller = Thread.currentThread();
        // Speculation off: a copy of the caller's attempt, descheduled before it threw, could commit as attempt 1.
        try (Scheduler scheduler = Scheduler.create(config("retry", SchedulingPolicy.WORK_STEALING).speculation(false)
            .build())) {
            final CountDownLatch callerRan = new CountDownLatch(1);
            final AtomicIntegerArray failedOnCaller = new AtomicIntegerArray(30);
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                tasks.add(Task.of(ctx -> {
                    awaitCaller(ctx, callerRan);
                    if (Thread.currentThread() == caller && ctx.attempt() == 1) {
                        failedOnCaller.set(ctx.taskId(), 1);
                        callerRan.countDown();
                        throw new IllegalStateException("caller attempt of task " + ctx.taskId());
                    }
                    return ctx.taskId() + 100;
                }));
            }
            final StageResult<Integer> result = scheduler.run(Stage.of("retry", tasks));
            int retried = 0;
            for (int i = 0; i < 30; i++) {
                assertEquals(i + 100, result.result(i));
                if (failedOnCaller.get(i) == 1) {
                    retried++;
                    assertEquals(2, result.metrics().attempt(i), "task " + i);
                }
            }
            assertTrue(retried >= 1);
            assertEquals(retried, result.summary().retries());
        }
    }
}
