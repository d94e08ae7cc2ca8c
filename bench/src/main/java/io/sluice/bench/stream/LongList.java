package io.sluice.bench.stream;

import java.util.Arrays;

/** A growable list of longs (no boxing); single-threaded, or handed over with a happens-before edge. */
final class LongList {
    private long[] values = new long[256];
    private int size;

    void add(final long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
