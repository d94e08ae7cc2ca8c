package io.sluice.bench.stream;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated during a measured window by the stream's own threads (job generator, job executor, the
 * execution context's workers: the engine's hot path) and by the producer thread (the single-event API it calls),
 * from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}; -1 where the JVM does not measure it.
 *
 * @param streamBytes   bytes the stream's threads allocated
 * @param producerBytes bytes the producer thread allocated
 * @param batches       batches cut in the window
 * @param records       records accepted in the window
 */
record Allocation(long streamBytes, long producerBytes, long batches, long records) {
    /** Not measured. */
    static final Allocation NONE = new Allocation(-1, -1, 0, 0);

    /** Stream bytes per batch (-1 if not measured). */
    double streamPerBatch() {
        return streamBytes < 0 || batches == 0 ? -1 : streamBytes / (double) batches;
    }

    /** Stream bytes per record (-1 if not measured). */
    double streamPerRecord() {
        return streamBytes < 0 || records == 0 ? -1 : streamBytes / (double) records;
    }

    /** Producer bytes per record (-1 if not measured). */
    double producerPerRecord() {
        return producerBytes < 0 || records == 0 ? -1 : producerBytes / (double) records;
    }

    /** Allocated bytes per live thread whose name starts with one of {@code prefixes}, at one instant. */
    static final class Snapshot {
        private final Map<Long, Long> stream = new HashMap<>();
        private final Map<Long, Long> producer = new HashMap<>();
        private final boolean supported;

        private Snapshot(final String producerName, final String... streamPrefixes) {
            final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            supported = bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled();
            if (!supported) {
                return;
            }
            final com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
            for (final Thread thread : Thread.getAllStackTraces().keySet()) {
                final String name = thread.getName();
                final long id = thread.getId();
                if (name.equals(producerName)) {
                    producer.put(id, sun.getThreadAllocatedBytes(id));
                }
                for (final String prefix : streamPrefixes) {
                    if (name.startsWith(prefix)) {
                        stream.put(id, sun.getThreadAllocatedBytes(id));
                    }
                }
            }
        }

        /** Now, for the threads named {@code producerName} and those starting with a {@code streamPrefixes}. */
        static Snapshot take(final String producerName, final String... streamPrefixes) {
            return new Snapshot(producerName, streamPrefixes);
        }

        /** What the threads of {@code before} allocated between it and this snapshot. */
        Allocation since(final Snapshot before, final long batches, final long records) {
            if (!supported || !before.supported) {
                return NONE;
            }
            return new Allocation(delta(before.stream, stream), delta(before.producer, producer), batches, records);
        }

        private static long delta(final Map<Long, Long> before, final Map<Long, Long> after) {
            long bytes = 0;
            for (final Map.Entry<Long, Long> e : after.entrySet()) {
                final Long start = before.get(e.getKey());
                if (start != null && e.getValue() >= 0 && start >= 0) {
                    bytes += e.getValue() - start;
                }
            }
            return bytes;
        }
    }
}
