package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SchedulerListenerTest {
    private record Attempt(Stage<?> stage, int task, int attempt, int worker, long start, long end, int flags) {
        boolean has(final int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Records every event; attempts arrive on worker threads. */
    private static final class Recorder implements SchedulerListener {
        final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        final List<String> stageEvents = new ArrayList<>();
        final ConcurrentLinkedQueue<Integer> replaced = new ConcurrentLinkedQueue<>();
        StageSummary lastSummary;
        volatile Stage<?> running;
        final AtomicInteger outsideStage = new AtomicInteger();

        @Override
        public void onStageStarted(final Stage<?> stage, final int workers, final long startNanos) {
            stageEvents.add("start " + stage.name() + " workers=" + workers);
            running = stage;
        }

        @Override
        public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                                  final long endNanos, final int flags) {
            attempts.add(new Attempt(stage, task, attempt, worker, startNanos, endNanos, flags));
            if (running != stage) {
                outsideStage.incrementAndGet();
            }
        }

        @Override
        public void onWorkerReplaced(final Stage<?> stage, final int worker, final long nanos) {
            replaced.add(worker);
        }

        @Override
        public void onStageFinished(final Stage<?> stage, final StageSummary summary, final long endNanos) {
            stageEvents.add("end " + stage.name() + (summary == null ? " failed" : ""));
            running = null;
            lastSummary = summary;
        }

        long count(final int flag) {
            return attempts.stream().filter(a -> a.has(flag)).count();
        }
    }

    private static SchedulerConfig.Builder config(final String name) {
        return SchedulerConfig.builder().name("listener-" + name).workers(3).minMorselRows(64);
    }

    @Test
    void everyAttemptIsReportedWithStealsFailuresAndOneCommitPerWholeTask() {
        for (long seed = 1; seed <= 4; seed++) {
            final FaultInjection faults = FaultInjection.none().withSeed(seed).failAttempts(0.2).slowWorker((int) (seed % 3), 4.0);
            final Recorder recorder = new Recorder();
            try (Scheduler scheduler = Scheduler.create(config("faults").seed(seed).maxAttempts(12).faults(faults).build())) {
                scheduler.addListener(recorder);
                final List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    tasks.add(Task.of(ctx -> {
                        Thread.sleep(Math.round(ctx.slowdown()));
                        return ctx.taskId();
                    }));
                }
                final Stage<Integer> stage = Stage.of("faulty", tasks);
                final StageResult<Integer> result = scheduler.run(stage);
                assertEquals(List.of("start faulty workers=3", "end faulty"), recorder.stageEvents);
                assertEquals(0, recorder.outsideStage.get(), "attempts reported outside their stage's start..end");
                assertSame(result.summary(), recorder.lastSummary);
                final int[] commits = new int[60];
                for (final Attempt a : recorder.attempts) {
                    assertSame(stage, a.stage());
                    assertTrue(a.end() >= a.start(), a.toString());
                    // Workers 0..2, or the caller's pseudo-worker 3 (caller-runs, on by default here).
                    assertTrue(a.worker() >= 0 && a.worker() < result.summary().workers(), a.toString());
                    if (a.has(SchedulerListener.COMMITTED)) {
                        commits[a.task()]++;
                        assertEquals(result.metrics().worker(a.task()), a.worker(), a.toString());
                        assertEquals(result.metrics().attempt(a.task()), a.attempt(), a.toString());
                    }
                }
                for (int i = 0; i < 60; i++) {
                    assertEquals(1, commits[i], "commits of task " + i);
                }
                assertEquals(result.summary().steals(), recorder.count(SchedulerListener.STOLEN), "seed " + seed);
                // Every failed attempt was retried (maxAttempts is far away), so failures = retries.
                assertEquals(result.summary().retries(), recorder.count(SchedulerListener.FAILED), "seed " + seed);
                assertTrue(recorder.count(SchedulerListener.FAILED) > 0, "p=0.2 over 60 tasks failed nothing");
            }
        }
    }

    @Test
    void splitPartsAndSpeculativeWinnerAndLoserAreMarked() {
        final Recorder recorder = new Recorder();
        try (Scheduler scheduler = Scheduler.create(config("spec").workers(2).build())) {
            scheduler.addListener(recorder);
            final List<Task<Long>> tasks = new ArrayList<>();
            // Each part spins 20 us: after a tiny task (< 2 us, once the JIT has warmed up) a runner claims the next 16
            // tasks at once and keeps those it has not started to itself, so one holding task 7 starved them, the stage
            // never reached the finished fraction that lets task 7 be copied, and the test hung until its timeout.
            tasks.add(Task.splittable(0, 100_000, ctx -> {
                final long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return ctx.to() - ctx.from();
            }, Long::sum));
            for (int i = 1; i < 20; i++) {
                tasks.add(Task.of(ctx -> {
                    if (ctx.taskId() == 7 && !ctx.isSpeculative()) {
                        Thread.sleep(600_000);
                    } else {
                        Thread.sleep(3);
                    }
                    return (long) ctx.taskId();
                }));
            }
            final StageResult<Long> result = scheduler.run(Stage.of("spec", tasks));
            assertEquals(100_000L, result.result(0));
            final List<Attempt> seven = recorder.attempts.stream().filter(a -> a.task() == 7).toList();
            assertEquals(2, seven.size(), seven.toString());
            final Attempt winner = seven.stream().filter(a -> a.has(SchedulerListener.COMMITTED)).findFirst().orElseThrow();
            final Attempt loser = seven.stream().filter(a -> !a.has(SchedulerListener.COMMITTED)).findFirst().orElseThrow();
            assertTrue(winner.has(SchedulerListener.SPECULATIVE), winner.toString());
            assertEquals(0, loser.flags() & (SchedulerListener.SPECULATIVE | SchedulerListener.FAILED), loser.toString());
            if (result.metrics().parts(0) > 1) {
                assertTrue(recorder.attempts.stream().anyMatch(a -> a.task() == 0 && a.has(SchedulerListener.SPLIT_PART)));
            }
        }
    }

    @Test
    void killedWorkerIsReportedAndAThrowingListenerChangesNothing() {
        final Recorder recorder = new Recorder();
        final AtomicInteger thrown = new AtomicInteger();
        final SchedulerListener throwing = new SchedulerListener() {
            @Override
            public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                                      final long endNanos, final int flags) {
                thrown.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };
        try (Scheduler scheduler = Scheduler.create(config("kill").faults(FaultInjection.none().killWorkerAfter(1, 5)).build())) {
            scheduler.addListener(throwing);
            scheduler.addListener(recorder);
            final StageResult<Integer> result = scheduler.run(SchedulerSanityTest.heldUntilReplaced(60, 1,
                SchedulerSanityTest.replacementLatch(scheduler)));
            for (int i = 0; i < 60; i++) {
                assertEquals(i, result.result(i));
            }
            assertEquals(List.of(1), List.copyOf(recorder.replaced));
            assertNotNull(recorder.lastSummary);
            assertEquals(recorder.attempts.size(), thrown.get());
            scheduler.removeListener(recorder);
            scheduler.removeListener(throwing);
            final int before = recorder.attempts.size();
            scheduler.run(WorkStealingSchedulerTest.sleepingStage(6, 1));
            assertEquals(before, recorder.attempts.size());
        }
    }
}
