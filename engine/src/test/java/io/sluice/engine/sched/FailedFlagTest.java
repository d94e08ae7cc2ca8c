package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The FAILED flag of a reported attempt is the stage's own decision: set exactly when the failure was counted (and
 * retried), even if the retry commits before the listeners hear of the failed attempt, and unset for a failure that
 * came after its task committed.
 */
@Timeout(60)
class FailedFlagTest {
    @Test
    void aCountedFailureIsReportedFailedEvenIfItsRetryCommittedFirst() {
        final List<Integer> flags = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = pool(flags)) {
            final StageRun<Integer> run = stage(pool);
            // The retry is queued, then committed before the failed attempt is reported to the listeners.
            final Runner runner = new Runner(pool, () -> run.taskStates().tryCommit(0));
            assertEquals(AttemptRunner.FAILED_COUNTED, runner.runFirst(run));
            assertEquals(List.of(SchedulerListener.FAILED), flags);
        }
    }

    @Test
    void aFailureAfterItsTaskCommittedIsNotCountedNorReportedFailed() {
        final List<Integer> flags = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = pool(flags)) {
            final StageRun<Integer> run = stage(pool);
            run.taskStates().tryCommit(0);
            final Runner runner = new Runner(pool, () -> {
                throw new AssertionError("a moot failure queued a retry");
            });
            assertEquals(AttemptRunner.FAILED_MOOT, runner.runFirst(run));
            assertEquals(List.of(0), flags);
        }
    }

    private static WorkerPool pool(final List<Integer> flags) {
        final SchedulerConfig config = SchedulerConfig.builder().name("failed-flag").workers(1)
            .policy(SchedulingPolicy.STATIC).speculation(true).build();
        final WorkerPool pool = new WorkerPool(config, config.newPlacement());
        pool.addListener(new SchedulerListener() {
            @Override
            public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker,
                                      final long startNanos, final long endNanos, final int f) {
                if (attempt == 1) {
                    flags.add(f);
                }
            }
        });
        return pool;
    }

    /** One task whose first attempt throws and whose later attempts return 7. */
    private static StageRun<Integer> stage(final WorkerPool pool) {
        final Stage<Integer> stage = Stage.of("one", List.of(Task.<Integer>of(ctx -> {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return 7;
        })));
        return new StageRun<>(stage, pool.config(), pool.placement().newClaims(1), null);
    }

    /** Runs attempts on the test thread; {@code onRetryQueued} runs once a failed attempt's retry was queued. */
    private static final class Runner extends AttemptRunner {
        private final Runnable onRetryQueued;

        Runner(final WorkerPool pool, final Runnable onRetryQueued) {
            super(pool, 0);
            this.onRetryQueued = onRetryQueued;
        }

        int runFirst(final StageRun<Integer> run) {
            final Morsel m = run.firstAttempt(0, new Morsel(null, 0, 0, 0, 1, false, false, null, true), false);
            runBody(run, m);
            final int outcome = finishAttempt(run, m, 0, 1);
            current = null;
            return outcome;
        }

        @Override
        void retryQueued() {
            onRetryQueued.run();
        }

        @Override
        void interruptAttempt() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
