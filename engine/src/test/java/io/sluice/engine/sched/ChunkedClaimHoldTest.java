package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task that blocks must not hold tasks nobody started: after a tiny task (under 2 us) a worker or the helping
 * caller claims the next 16 task indices at once and keeps those it has not started to itself, so a task that blocks
 * in such a chunk would starve up to 15 others (speculation copies only running attempts, and only once 75% of the
 * stage finished), were the unstarted rest of a chunk not published for idle workers to take (HeldChunks#take).
 */
@Timeout(120)
class ChunkedClaimHoldTest {
    private static final int TASKS = 256;
    private static final int BLOCKER = 100;

    @ParameterizedTest
    @EnumSource(value = SchedulingPolicy.class, names = {"WORK_STEALING", "CENTRAL_QUEUE"})
    void aBlockedTaskDoesNotHoldTheTasksClaimedWithIt(final SchedulingPolicy policy) throws InterruptedException {
        try (Scheduler scheduler = Scheduler.create(SchedulerConfig.builder().name("chunk-hold").workers(2)
            .policy(policy).speculation(false).build())) {
            // Warm up: the runners time these tiny tasks below 2 us and start claiming them 16 at a time.
            final List<Task<Integer>> tiny = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tiny.add(Task.of(TaskContext::taskId));
            }
            for (int round = 0; round < 300; round++) {
                scheduler.run(Stage.of("warm", tiny));
            }
            // The blocker waits (60 s at most, a safety net like the other scheduler tests') until every other task has
            // started: under load the other worker may go unscheduled for long stretches.
            final CountDownLatch othersStarted = new CountDownLatch(TASKS - 1);
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Task.of(ctx -> {
                    if (ctx.taskId() != BLOCKER) {
                        othersStarted.countDown();
                        return 0;
                    }
                    return othersStarted.await(60, TimeUnit.SECONDS) ? 0 : (int) othersStarted.getCount();
                }));
            }
            final StageResult<Integer> result = scheduler.run(Stage.of("blocked", tasks));
            assertEquals(0, result.result(BLOCKER), "tasks never started while task " + BLOCKER + " blocked");
        }
    }
}
