package io.sluice.bench.stream;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Garbage collections and the time the JVM reports for them, summed over its collectors: for G1 the young and mixed
 * pauses (stop-the-world) and the concurrent cycles. A difference of two readings says what happened in between.
 *
 * @param collections collections
 * @param millis      total time in milliseconds
 */
public record GcActivity(long collections, long millis) {
    /** The totals since the JVM started. */
    public static GcActivity now() {
        long count = 0;
        long time = 0;
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            time += Math.max(0, bean.getCollectionTime());
        }
        return new GcActivity(count, time);
    }

    /** This reading minus an earlier one. */
    public GcActivity minus(final GcActivity earlier) {
        return new GcActivity(collections - earlier.collections, millis - earlier.millis);
    }
}
