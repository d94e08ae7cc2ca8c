package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StaticSchedulerTest extends SchedulerSanityTest {
    @Override
    protected SchedulingPolicy policy() {
        return SchedulingPolicy.STATIC;
    }

    @Test
    void taskRunsOnWorkerIndexModWorkersAndIsNeverStolen() {
        try (Scheduler scheduler = Scheduler.create(config("home").build())) {
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                tasks.add(Task.of(TaskContext::worker));
            }
            final StageResult<Integer> result = scheduler.run(Stage.of("home", tasks));
            for (int i = 0; i < 30; i++) {
                assertEquals(i % 3, result.result(i));
                assertEquals(i % 3, result.metrics().worker(i));
                assertFalse(result.metrics().stolen(i));
            }
            assertEquals(0, result.summary().steals());
        }
    }
}
