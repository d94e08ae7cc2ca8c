package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fourth policy, added in one file, passes the sanity suite every built-in policy passes. */
class RandomPlacementTest extends SchedulerSanityTest {
    @Override
    protected Placement.Factory policy() {
        return RandomPlacement.FACTORY;
    }

    @Test
    void firstAttemptsRunOnTheWorkerTheSeededHashPicksAndNothingIsStolen() {
        final RandomPlacement placement = (RandomPlacement) RandomPlacement.FACTORY.create(3, 64, 42);
        try (Scheduler scheduler = Scheduler.create(config("home").seed(42).build())) {
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                tasks.add(Task.of(TaskContext::worker));
            }
            final StageResult<Integer> result = scheduler.run(Stage.of("home", tasks));
            final int[] perWorker = new int[3];
            for (int i = 0; i < 60; i++) {
                assertEquals(placement.workerOf(i), result.result(i), "task " + i);
                perWorker[result.result(i)]++;
            }
            assertEquals(0, result.summary().steals());
            for (final int n : perWorker) {
                assertTrue(n > 0 && n < 60, "a random spread, not one worker: " + java.util.Arrays.toString(perWorker));
            }
        }
    }

    @Test
    void splitPartsGoToRandomQueuesAndCoverEveryRowOnce() {
        final Placement placement = RandomPlacement.FACTORY.create(4, 100, 7);
        placement.offer(new Morsel(0, 0, 1000, true), 2);
        long rows = 0;
        final boolean[] used = new boolean[4];
        boolean found = true;
        while (found) {
            found = false;
            for (int w = 0; w < 4; w++) {
                final Morsel m = placement.poll(w);
                if (m != null) {
                    assertTrue(m.rows() < 200, m.toString());
                    rows += m.rows();
                    used[w] = true;
                    found = true;
                }
            }
        }
        assertEquals(1000, rows, "every row exactly once");
        assertTrue(used[0] || used[1] || used[3], "parts spread beyond the home worker");
        assertNull(placement.poll(2));
        assertEquals(-1, placement.newClaims(10).steal(0));
    }
}
