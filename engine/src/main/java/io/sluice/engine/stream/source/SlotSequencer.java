package io.sluice.engine.stream.source;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claim and publish protocol of a bounded many-producer, one-consumer ring of slots (Vyukov's bounded queue),
 * without the slots' contents: the caller keeps those in its own arrays at {@link #index(long)}. Slot {@code i}
 * carries a sequence number. A producer claims position {@code p} by a CAS on the tail once the slot's sequence
 * equals {@code p} (the slot is free for this lap), writes its slot, then {@link #publish}es it: the sequence becomes
 * {@code p + 1} with release semantics, so the consumer that sees it (acquire) sees the slot's contents. The consumer
 * reads position {@code p} once {@link #published(long)}, then {@link #free}s it for the next lap (sequence
 * {@code p + capacity}). Sequences are ints compared by difference, correct across wrap-around as the capacity is at
 * most 2^29. Positions keep the order of claims, so one producer's elements stay in its order. A producer stalled
 * between claim and publish holds the consumer back at that slot until it publishes; nothing is lost or reordered.
 * No allocation after construction.
 */
public final class SlotSequencer {
    /** The largest capacity: int sequences stay unambiguous when compared by difference. */
    public static final int MAX_CAPACITY = 1 << 29;

    private final int capacity;
    private final int mask;
    private final AtomicIntegerArray sequences;
    private final AtomicLong tail = new AtomicLong();

    /** A ring of {@code requestedCapacity} slots rounded up to a power of two. */
    public SlotSequencer(final int requestedCapacity) {
        if (requestedCapacity < 2 || requestedCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + requestedCapacity + " must be in [2, " + MAX_CAPACITY + "]");
        }
        this.capacity = Integer.highestOneBit(requestedCapacity - 1) << 1;
        this.mask = capacity - 1;
        this.sequences = new AtomicIntegerArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
    }

    /** Slots in the ring (a power of two). */
    public int capacity() {
        return capacity;
    }

    /** The slot of {@code position}. */
    public int index(final long position) {
        return (int) position & mask;
    }

    /** Claims the next position: it, or -1 if the ring is full. The caller must fill its slot and publish it. */
    public long claim() {
        long position = tail.get();
        while (true) {
            final int difference = sequences.getAcquire(index(position)) - (int) position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    return position;
                }
                position = tail.get();
            } else if (difference < 0) {
                return -1;
            } else {
                position = tail.get();
            }
        }
    }

    /** Makes the claimed, filled slot of {@code position} visible to the consumer. */
    public void publish(final long position) {
        sequences.setRelease(index(position), (int) position + 1);
    }

    /** Whether {@code position}'s slot is published for this lap (consumer). */
    public boolean published(final long position) {
        return sequences.getAcquire(index(position)) == (int) position + 1;
    }

    /** Frees {@code position}'s slot, read and cleared by the consumer, for the producers' next lap. */
    public void free(final long position) {
        sequences.setRelease(index(position), (int) position + capacity);
    }
}
