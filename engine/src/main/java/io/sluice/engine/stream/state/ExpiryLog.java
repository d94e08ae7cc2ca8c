package io.sluice.engine.stream.state;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The keys of a keyed state in the order of the batch times they were updated at, so that evicting the keys idle
 * since a cutoff reads only the entries older than it (O(keys that expired or were touched since), not O(keys
 * held)). A key is appended once per batch time that updates it, so older entries of a key are stale: the reader
 * checks the key's current update time. Entries are kept in segments of one batch time each, oldest first.
 * On-heap, single-threaded.
 */
final class ExpiryLog {
    private long[] keys = new long[1024];
    private int head;
    private int tail;
    private long[] segmentTimes = new long[64];
    private int[] segmentEnds = new int[64];
    private int firstSegment;
    private int segments;

    /** A log of {@code n} keys with their update times (in any order), grouped by time, oldest first. */
    static ExpiryLog of(final long[] times, final long[] keys, final int n) {
        final long[] distinct = Arrays.copyOf(times, n);
        Arrays.sort(distinct);
        int groups = 0;
        for (int i = 0; i < n; i++) {
            if (groups == 0 || distinct[groups - 1] != distinct[i]) {
                distinct[groups++] = distinct[i];
            }
        }
        final int[] starts = new int[groups + 1];
        final int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = Arrays.binarySearch(distinct, 0, groups, times[i]);
            starts[group[i] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            starts[g + 1] += starts[g];
        }
        final ExpiryLog log = new ExpiryLog();
        log.keys = new long[Math.max(1024, 2 * n)];
        log.segmentTimes = Arrays.copyOf(distinct, Math.max(64, 2 * groups));
        log.segmentEnds = new int[log.segmentTimes.length];
        final int[] fill = Arrays.copyOf(starts, groups);
        for (int i = 0; i < n; i++) {
            log.keys[fill[group[i]]++] = keys[i];
        }
        System.arraycopy(starts, 1, log.segmentEnds, 0, groups);
        log.tail = n;
        log.segments = groups;
        return log;
    }

    /** Entries held, stale ones included. */
    int size() {
        return tail - head;
    }

    /** Appends {@code key}, updated at {@code time} (not before the last appended time). */
    void append(final long time, final long key) {
        if (segments == firstSegment || segmentTimes[segments - 1] != time) {
            if (segments == segmentTimes.length) {
                compactSegments();
            }
            segmentTimes[segments] = time;
            segments++;
        }
        if (tail == keys.length) {
            compactKeys();
        }
        keys[tail++] = key;
        segmentEnds[segments - 1] = tail;
    }

    /**
     * Passes every entry of the segments older than {@code cutoff} to {@code evictIfIdle} (which drops the key if its
     * current update time is before the cutoff and says whether it did) and forgets those segments; returns how many
     * keys were dropped.
     */
    int drainBefore(final long cutoff, final LongPredicate evictIfIdle) {
        int evicted = 0;
        while (firstSegment < segments && segmentTimes[firstSegment] < cutoff) {
            final int end = segmentEnds[firstSegment];
            for (int i = head; i < end; i++) {
                if (evictIfIdle.test(keys[i])) {
                    evicted++;
                }
            }
            head = end;
            firstSegment++;
        }
        return evicted;
    }

    /** The oldest segment's time, {@link Long#MAX_VALUE} if empty: at most the update time of every key logged. */
    long oldestTime() {
        return firstSegment < segments ? segmentTimes[firstSegment] : Long.MAX_VALUE;
    }

    private void compactKeys() {
        final int live = tail - head;
        final long[] target = live * 2 > keys.length ? new long[keys.length * 2] : keys;
        System.arraycopy(keys, head, target, 0, live);
        for (int s = firstSegment; s < segments; s++) {
            segmentEnds[s] -= head;
        }
        keys = target;
        tail = live;
        head = 0;
    }

    private void compactSegments() {
        final int live = segments - firstSegment;
        if (live * 2 > segmentTimes.length) {
            segmentTimes = Arrays.copyOf(segmentTimes, segmentTimes.length * 2);
            segmentEnds = Arrays.copyOf(segmentEnds, segmentEnds.length * 2);
        }
        System.arraycopy(segmentTimes, firstSegment, segmentTimes, 0, live);
        System.arraycopy(segmentEnds, firstSegment, segmentEnds, 0, live);
        segments = live;
        firstSegment = 0;
    }
}
