package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkStealingDequeTest {

    @Test
    void ownerPopsLifoAndThiefStealsFifo() {
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(4);
        for (int i = 0; i < 5; i++) {
            deque.push(i);
        }
        assertEquals(0, deque.steal());
        assertEquals(4, deque.pop());
        assertEquals(1, deque.steal());
        assertEquals(3, deque.pop());
        assertEquals(2, deque.pop());
        assertNull(deque.pop());
        assertNull(deque.steal());
        assertEquals(0, deque.sizeEstimate());
    }

    @Test
    void growsAcrossWrapAroundAndKeepsOrder() {
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(2);
        // Move top and bottom past the ring length first so the copy must handle wrap-around.
        for (int i = 0; i < 3; i++) {
            deque.push(-1);
            deque.steal();
        }
        for (int i = 0; i < 100; i++) {
            deque.push(i);
        }
        assertEquals(128, deque.capacity());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, deque.steal());
        }
        for (int i = 99; i >= 50; i--) {
            assertEquals(i, deque.pop());
        }
        assertNull(deque.pop());
    }

    @Test
    void rejectsNullElementAndBadCapacity() {
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
        assertThrows(NullPointerException.class, () -> deque.push(null));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new WorkStealingDeque<>(0));
        assertEquals("initialCapacity=0 out of range [1, 1073741824]", ex.getMessage());
    }
}
