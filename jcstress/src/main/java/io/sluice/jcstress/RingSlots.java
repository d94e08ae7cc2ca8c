package io.sluice.jcstress;

import io.sluice.engine.stream.source.SlotSequencer;

/**
 * A queue source's slot ring ({@link SlotSequencer}, capacity 2) with int slots, one lap and a half already used so
 * positions wrap: what the ring tests produce into and read from. A value of 0 is never written, so reading 0 from a
 * published slot is a stale read.
 */
final class RingSlots {
    private final SlotSequencer ring = new SlotSequencer(2);
    private final int[] slots = new int[2];
    private long head;

    RingSlots() {
        for (int i = 0; i < 3; i++) {
            produce(9);
            read();
        }
    }

    /** Claims a slot, writes {@code value}, publishes it; false if the ring was full. */
    boolean produce(final int value) {
        final long position = ring.claim();
        if (position < 0) {
            return false;
        }
        slots[ring.index(position)] = value;
        ring.publish(position);
        return true;
    }

    /** Reads what is published from the head on (one consumer): the values' digits in order, negative after a stale read. */
    int read() {
        int seen = 0;
        while (ring.published(head)) {
            final int index = ring.index(head);
            final int value = slots[index];
            seen = value == 0 ? -1_000 : seen * 10 + value;
            slots[index] = 0;
            ring.free(head);
            head++;
        }
        return seen;
    }
}
