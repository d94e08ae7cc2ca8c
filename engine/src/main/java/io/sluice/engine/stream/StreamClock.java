package io.sluice.engine.stream;

/**
 * The time a {@link StreamingContext} runs on: batch boundaries, delays and rates are all measured with it.
 * Time is epoch-based nanoseconds so batch times read as wall-clock instants and delays keep sub-millisecond
 * precision. Implementations are thread-safe.
 */
public interface StreamClock {
    /** Nanoseconds since the epoch on this clock; never decreases. */
    long nanos();

    /** {@link #nanos()} in whole milliseconds. */
    default long millis() {
        return Math.floorDiv(nanos(), 1_000_000L);
    }

    /** Blocks until {@link #nanos()} {@code >= targetNanos}; returns at once if it already is. */
    void awaitNanos(long targetNanos) throws InterruptedException;

    /** Blocks until {@link #millis()} {@code >= targetMillis}. */
    default void awaitMillis(final long targetMillis) throws InterruptedException {
        awaitNanos(Math.multiplyExact(targetMillis, 1_000_000L));
    }
}
