package io.sluice.bench.stream;

/**
 * The measured window of a run in batch times: from the first interval boundary after {@link #open} to the time
 * of {@link #close}, both inclusive. Closed (contains nothing) until opened. Written by the driver thread, read by
 * the stream's threads.
 */
final class Window {
    private volatile long fromMillis = Long.MAX_VALUE;
    private volatile long untilMillis = Long.MAX_VALUE;

    /** Opens at the first boundary strictly after {@code nowMillis} for batch interval {@code intervalMillis}. */
    void open(final long nowMillis, final long intervalMillis) {
        fromMillis = Math.floorDiv(nowMillis, intervalMillis) * intervalMillis + intervalMillis;
    }

    /** Ends the window: later batch times are outside. */
    void close(final long nowMillis) {
        untilMillis = nowMillis;
    }

    boolean contains(final long batchTimeMillis) {
        return batchTimeMillis >= fromMillis && batchTimeMillis <= untilMillis;
    }
}
