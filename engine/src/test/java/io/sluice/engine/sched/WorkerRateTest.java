package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The per-worker rate a stage keeps for speculation: busy time over attempts, per worker, from the workers' reports. */
class WorkerRateTest {
    @Test
    void workerMeanIsBusyTimeOverAttemptsAndUnknownBeforeTheFirstReport() {
        final SchedulerConfig config = SchedulerConfig.builder().name("rate-test").workers(3).build();
        final Stage<Integer> stage = Stage.of("s", List.of(Task.of(ctx -> 1), Task.of(ctx -> 2)));
        final StageRun<Integer> run = new StageRun<>(stage, config, config.newPlacement().newClaims(stage.size()), null);
        assertEquals(-1, run.workerMeanRunNanos(0));
        run.addBusy(0, 30_000_000L, 1);
        run.addBusy(1, 10_000_000L, 2);
        run.addBusy(0, 60_000_000L, 2);
        // Busy time flushed without a finished attempt (none here) does not count as one.
        run.addBusy(2, 5_000L, 0);
        assertEquals(30_000_000L, run.workerMeanRunNanos(0));
        assertEquals(5_000_000L, run.workerMeanRunNanos(1));
        assertEquals(-1, run.workerMeanRunNanos(2));
    }
}
