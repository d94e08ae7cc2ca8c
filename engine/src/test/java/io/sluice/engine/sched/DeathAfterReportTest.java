package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * A worker that dies after it reported its attempt (here a listener throwing an Error on the attempt's failure)
 * must not have that attempt run again: its retry is already queued, so a re-run would be a second live attempt of
 * the range (with running splits, two attempts of one range can commit overlapping rows) and the range's live count
 * would drop twice for one attempt. One worker and no caller-runs, so the attempts run one after another on it.
 */
class DeathAfterReportTest {
    @Test
    void anAttemptReportedBeforeItsWorkerDiedIsNotRunAgain() {
        final ConcurrentLinkedQueue<Integer> attempts = new ConcurrentLinkedQueue<>();
        final AtomicBoolean thrown = new AtomicBoolean();
        final SchedulerConfig config = SchedulerConfig.builder().name("death-after-report").workers(1)
            .policy(SchedulingPolicy.WORK_STEALING).speculation(false).maxAttempts(3).callerRuns(false).build();
        try (Scheduler scheduler = Scheduler.create(config)) {
            scheduler.addListener(new SchedulerListener() {
                @Override
                public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker,
                                          final long startNanos, final long endNanos, final int flags) {
                    if ((flags & FAILED) != 0 && thrown.compareAndSet(false, true)) {
                        throw new Error("listener fails on the first failed attempt: its worker dies");
                    }
                }
            });
            final Task<Long> task = Task.splittable(0, 100, ctx -> {
                attempts.add(ctx.attempt());
                throw new IllegalStateException("attempt " + ctx.attempt() + " fails");
            }, Long::sum);
            assertThrows(StageFailedException.class, () -> scheduler.run(Stage.of("failing", List.of(task))));
        }
        assertEquals(List.of(1, 2, 3), List.copyOf(attempts), "each attempt number runs once, in order");
    }
}
