package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The policies driven from a single thread, as a discrete-event simulator does. */
class PlacementQueuesTest {

    @Test
    void staticQueuesNeverMoveATaskAndRouteRetriesToTheNextWorker() {
        final Placement queues = SchedulingPolicy.STATIC.create(3, 1, 1);
        queues.offer(new Morsel(4, 0, 0, false), 1);
        assertNull(queues.poll(0));
        assertNull(queues.poll(2));
        assertEquals(4, queues.poll(1).task());
        queues.offer(new Morsel(4, 0, 0, false).nextAttempt(2), Placement.ANY_WORKER);
        assertNotNull(queues.poll(2), "attempt 2 of task 4 goes to worker (4 + 1) mod 3");
    }

    @Test
    void stolenMorselSplitsRemainingRange() {
        final Placement queues = SchedulingPolicy.WORK_STEALING.create(2, 100, 7);
        queues.offer(new Morsel(0, 0, 1000, true), 0);
        // Worker 1 has nothing of its own, so it steals from worker 0's inbox and halves down to < 200 rows.
        final Morsel stolen = queues.poll(1);
        assertTrue(stolen.isStolen());
        assertEquals(0, stolen.from());
        assertEquals(125, stolen.to());
        long rows = stolen.rows();
        Morsel m;
        while ((m = queues.poll(0)) != null) {
            assertTrue(m.rows() < 200 && m.rows() >= 100, m.toString());
            rows += m.rows();
        }
        assertEquals(1000, rows, "every row exactly once");
    }

    @Test
    void sameSeedGivesSameVictimSequence() {
        assertEquals(victims(11), victims(11));
        assertFalse(victims(11).equals(victims(12)) && victims(11).equals(victims(13)));
    }

    private static List<Integer> victims(final long seed) {
        final Placement queues = SchedulingPolicy.WORK_STEALING.create(8, 1, seed);
        for (int i = 0; i < 64; i++) {
            queues.offer(new Morsel(i, 0, 0, false), i % 7 + 1);
        }
        final List<Integer> taken = new ArrayList<>();
        // A poll tries W random victims, so it may miss the non-empty ones; an idle worker simply polls again.
        for (int i = 0; i < 10_000 && taken.size() < 64; i++) {
            final Morsel m = queues.poll(0);
            if (m != null) {
                taken.add(m.task());
            }
        }
        assertEquals(64, taken.size());
        return taken;
    }

    @Test
    void centralQueueServesAnyWorkerInOfferOrder() {
        final Placement queues = SchedulingPolicy.CENTRAL_QUEUE.create(4, 10, 1);
        for (int i = 0; i < 4; i++) {
            queues.offer(new Morsel(i, 0, 0, false), 0);
        }
        assertEquals(0, queues.poll(3).task());
        assertEquals(1, queues.poll(2).task());
        assertEquals(2, queues.poll(0).task());
        assertEquals(3, queues.poll(0).task());
        assertNull(queues.poll(1));
    }
}
