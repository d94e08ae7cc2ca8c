package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The published rest of each runner's chunk: the runner takes from the bottom, thieves from the top. */
class HeldChunksTest {
    @Test
    void theRunnerTakesAscendingAndAThiefTakesTheLastUntilNoneIsLeft() {
        final HeldChunks held = new HeldChunks(2);
        assertFalse(held.holds(0));
        assertEquals(-1, held.next(0));
        assertEquals(-1, held.take(0));
        held.hold(0, 3, 7);
        assertTrue(held.holds(0));
        assertFalse(held.holds(1));
        assertEquals(3, held.next(0));
        assertEquals(6, held.take(0));
        assertEquals(5, held.take(0));
        assertEquals(4, held.next(0));
        assertFalse(held.holds(0));
        assertEquals(-1, held.next(0));
        assertEquals(-1, held.take(0));
        // A new chunk replaces the empty one; the other slot was never touched.
        held.hold(0, 20, 22);
        assertEquals(21, held.take(0));
        assertEquals(20, held.next(0));
        assertEquals(-1, held.next(0));
        assertEquals(-1, held.take(1));
    }

    @Test
    void claimOwnHandsTheRunnerItsChunkAndLeavesTheRestOfTheShareInTheClaims() {
        final Placement.Claims ws = SchedulingPolicy.WORK_STEALING.create(2, 1, 3).newClaims(40);
        assertEquals(range(0, 16), ws.claimOwn(0, 16));
        assertEquals(range(16, 20), ws.claimOwn(0, 16));
        assertEquals(-1L, ws.claimOwn(0, 16));
        // Indices claimed by nextOwn and not yet returned come first.
        assertEquals(20, ws.nextOwn(1, 4));
        assertEquals(range(21, 24), ws.claimOwn(1, 16));
        assertEquals(range(24, 25), ws.claimOwn(1, 1));
        final Placement.Claims central = SchedulingPolicy.CENTRAL_QUEUE.create(2, 1, 3).newClaims(10);
        assertEquals(range(0, 4), central.claimOwn(1, 4));
        assertEquals(4, central.nextOwn(0, 3));
        assertEquals(range(5, 7), central.claimOwn(0, 16));
        assertEquals(range(7, 10), central.claimOwn(0, 16));
        assertEquals(-1L, central.claimOwn(1, 16));
        final Placement.Claims fixed = SchedulingPolicy.STATIC.create(2, 1, 3).newClaims(3);
        assertEquals(range(1, 2), fixed.claimOwn(1, 16));
        assertEquals(-1L, fixed.claimOwn(1, 16));
    }

    private static long range(final int lo, final int hi) {
        return ((long) lo << 32) | hi;
    }
}
