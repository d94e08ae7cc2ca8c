package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When {@link Scheduler#run} returns or throws, no attempt of its stage is still running. */
@Timeout(60)
class StageLifecycleTest {
    /** Attempts inside their body right now. */
    private final AtomicInteger running = new AtomicInteger();

    /** Sleeps {@code millis} (or until interrupted, then cleans up for 30 ms, ignoring further interrupts). */
    private Integer interruptibleSleep(final TaskContext ctx, final long millis) {
        running.incrementAndGet();
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException ex) {
            // A slow cleanup after the interrupt: run() must wait for it, not return in the middle of it.
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        } finally {
            running.decrementAndGet();
        }
        return ctx.taskId();
    }

    @Test
    void losingSpeculativeAttemptHasStoppedWhenRunReturns() {
        final SchedulerConfig config = SchedulerConfig.builder().name("lifecycle-spec").workers(2)
            .policy(SchedulingPolicy.WORK_STEALING).speculation(true).speculationMinRunNanos(0).build();
        try (Scheduler scheduler = Scheduler.create(config)) {
            for (int round = 0; round < 3; round++) {
                final List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    tasks.add(Task.of(ctx -> interruptibleSleep(ctx, ctx.taskId() == 5 && !ctx.isSpeculative() ? 600_000 : 2)));
                }
                final StageResult<Integer> result = scheduler.run(Stage.of("spec", tasks));
                assertEquals(0, running.get(), "attempts still running after run() returned");
                assertTrue(result.metrics().speculative(5), "task 5 committed by its copy");
                assertEquals(5, result.result(5));
            }
        }
    }

    @Test
    void attemptsOfAFailedStageHaveStoppedWhenRunThrows() {
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            final SchedulerConfig config = SchedulerConfig.builder().name("lifecycle-fail-" + policy).workers(3)
                .policy(policy).speculation(false).maxAttempts(1).build();
            try (Scheduler scheduler = Scheduler.create(config)) {
                final CountDownLatch othersStarted = new CountDownLatch(2);
                final List<Task<Integer>> tasks = new ArrayList<>();
                // One task per worker, so every policy runs all three at once.
                for (int i = 0; i < 3; i++) {
                    tasks.add(Task.of(ctx -> {
                        if (ctx.taskId() == 0) {
                            othersStarted.await();
                            throw new IllegalStateException("task 0 fails");
                        }
                        othersStarted.countDown();
                        return interruptibleSleep(ctx, 600_000);
                    }));
                }
                final StageFailedException ex = assertThrows(StageFailedException.class,
                    () -> scheduler.run(Stage.of("failing", tasks)));
                assertEquals(0, ex.task());
                assertEquals(0, running.get(), policy + ": attempts still running after run() threw");
                assertEquals(List.of(1), scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 1)))).results());
            }
        }
    }

    @Test
    void attemptIgnoringInterruptsFailsTheStageAfterTheDrainTimeoutInsteadOfHanging() throws InterruptedException {
        final SchedulerConfig config = SchedulerConfig.builder().name("lifecycle-stuck").workers(2)
            .policy(SchedulingPolicy.WORK_STEALING).speculation(false).maxAttempts(1).drainTimeoutMillis(100)
            // The timeout bounds the wait for workers: a deaf task run by the calling thread itself holds it (caller-runs).
            .callerRuns(false).build();
        final CountDownLatch stuckStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        try (Scheduler scheduler = Scheduler.create(config)) {
            final List<Task<Integer>> tasks = List.of(
                Task.of(ctx -> {
                    stuckStarted.countDown();
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (final InterruptedException ignored) {
                            // Deliberately deaf to interrupts.
                        }
                    }
                    return 0;
                }),
                Task.of(ctx -> {
                    stuckStarted.await();
                    throw new IllegalStateException("task 1 fails");
                }));
            final long start = System.nanoTime();
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("stuck", tasks)));
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ex.getMessage().contains("ignore interrupts past drainTimeoutMillis=100"), ex.getMessage());
            assertTrue(ex.getMessage().contains("task=0"), ex.getMessage());
            // Loose bound: the 100 ms drain timeout, not forever.
            assertTrue(tookMillis < 20_000, "run() took " + tookMillis + " ms");
            release.countDown();
            assertEquals(List.of(7), scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 7)))).results());
        }
    }
}
