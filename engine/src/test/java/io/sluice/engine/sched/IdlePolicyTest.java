package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

class IdlePolicyTest {
    private static void assertRejected(final String expectedInMessage, final Runnable build) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(ex.getMessage().contains(expectedInMessage), ex.getMessage());
    }

    @Test
    void rejectsValuesOutOfRangeNamingThem() {
        assertRejected("maxSpins=-1", () -> IdlePolicy.of(-1, 0, 1, 1));
        assertRejected("maxYields=-5", () -> IdlePolicy.of(0, -5, 1, 1));
        assertRejected("minParkNanos=0", () -> IdlePolicy.of(0, 0, 0, 1));
        assertRejected("maxParkNanos=99 out of range [minParkNanos=100", () -> IdlePolicy.of(0, 0, 100, 99));
        assertRejected("maxParkNanos=100000001", () -> IdlePolicy.of(0, 0, 1, IdlePolicy.MAX_PARK_LIMIT_NANOS + 1));
        assertRejected("idle policy 'spinny' unknown", () -> IdlePolicy.named("spinny"));
        assertEquals(IdlePolicy.MAX_PARK_LIMIT_NANOS, IdlePolicy.of(0, 0, 1, IdlePolicy.MAX_PARK_LIMIT_NANOS).maxParkNanos());
    }

    @Test
    void presetsByNameAndTheirShapes() {
        assertSame(IdlePolicy.busySpin(), IdlePolicy.named("busySpin"));
        assertSame(IdlePolicy.backoff(), IdlePolicy.named("BACKOFF"));
        assertSame(IdlePolicy.park(), IdlePolicy.named("park"));
        assertEquals(IdlePolicy.UNBOUNDED, IdlePolicy.busySpin().maxSpins());
        assertEquals(0, IdlePolicy.park().maxSpins());
        assertEquals(0, IdlePolicy.park().maxYields());
        assertTrue(IdlePolicy.backoff().maxSpins() > 0 && IdlePolicy.backoff().maxSpins() < IdlePolicy.UNBOUNDED,
            "backoff spins a bounded number of times");
        assertEquals(IdlePolicy.of(3, 2, 10, 50), IdlePolicy.of(3, 2, 10, 50));
        assertEquals(IdlePolicy.of(3, 2, 10, 50).hashCode(), IdlePolicy.of(3, 2, 10, 50).hashCode());
        assertEquals("custom{spins=3, yields=2, parkNanos=10..50}", IdlePolicy.of(3, 2, 10, 50).toString());
    }

    @Test
    void configDefaultsToBackoffAndTheLastIdleSetterWins() {
        final SchedulerConfig defaults = SchedulerConfig.builder().workers(1).build();
        assertSame(IdlePolicy.backoff(), defaults.idlePolicy());
        assertEquals("sluice-backoff", defaults.idleStrategy().get().alias());

        final SchedulerConfig custom = SchedulerConfig.builder().workers(1).idle(IdlePolicy.park())
            .idleStrategy(BusySpinIdleStrategy::new).build();
        assertNull(custom.idlePolicy());
        assertInstanceOf(BusySpinIdleStrategy.class, custom.idleStrategy().get());

        final SchedulerConfig park = SchedulerConfig.builder().workers(1).idleStrategy(BusySpinIdleStrategy::new)
            .idle(IdlePolicy.park()).build();
        assertSame(IdlePolicy.park(), park.idlePolicy());
        assertInstanceOf(BackoffIdle.class, park.idleStrategy().get());
        assertTrue(park.toString().contains("idle=park{"), park.toString());
        assertThrows(NullPointerException.class, () -> SchedulerConfig.builder().idle(null));
    }

    @Test
    void everyPresetRunsBackToBackAndSpacedStagesToTheRightResults() throws InterruptedException {
        for (final IdlePolicy idle : List.of(IdlePolicy.busySpin(), IdlePolicy.backoff(), IdlePolicy.park(),
            IdlePolicy.of(0, 0, IdlePolicy.MAX_PARK_LIMIT_NANOS, IdlePolicy.MAX_PARK_LIMIT_NANOS))) {
            try (Scheduler scheduler = Scheduler.create(SchedulerConfig.builder().name("idle-" + idle.name()).workers(2)
                .idle(idle).build())) {
                for (int stage = 0; stage < 200; stage++) {
                    final List<Task<Long>> tasks = new ArrayList<>();
                    final int n = 1 + stage % 7;
                    for (int t = 0; t < n; t++) {
                        final long base = stage * 100L;
                        tasks.add(Task.of(ctx -> base + ctx.taskId()));
                    }
                    final StageResult<Long> result = scheduler.run(Stage.of("s" + stage, tasks));
                    for (int t = 0; t < n; t++) {
                        assertEquals(stage * 100L + t, result.result(t), idle + " stage " + stage + " task " + t);
                    }
                    if (stage % 50 == 0) {
                        // A gap long enough for every worker to reach its parks: the next stage must still wake them.
                        Thread.sleep(5);
                    }
                }
            }
        }
    }
}
