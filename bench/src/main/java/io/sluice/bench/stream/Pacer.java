package io.sluice.bench.stream;

/**
 * Open-loop pacing at a fixed rate: by {@code t} nanoseconds after the start, {@code floor(rate x t / 1e9)} records
 * are due, whatever was sent before. A producer that falls behind catches up in a burst rather than shifting the
 * schedule, so the offered rate over a run is the configured one (a closed loop would hide overload).
 * Immutable and thread-safe.
 */
public final class Pacer {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final long startNanos;

    /** A schedule of {@code ratePerSecond} (> 0, finite) records per second starting at {@code startNanos}. */
    public Pacer(final double ratePerSecond, final long startNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate=" + ratePerSecond + " records/s must be > 0 and finite");
        }
        this.ratePerSecond = ratePerSecond;
        this.startNanos = startNanos;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Records due by {@code nowNanos} (0 before the start). */
    public long dueBy(final long nowNanos) {
        final long elapsed = nowNanos - startNanos;
        if (elapsed <= 0) {
            return 0;
        }
        return (long) Math.floor(ratePerSecond * elapsed / NANOS_PER_SECOND);
    }

    /** The first instant at which at least {@code count} records are due. */
    public long dueAt(final long count) {
        if (count <= 0) {
            return startNanos;
        }
        return startNanos + (long) Math.ceil(count * NANOS_PER_SECOND / ratePerSecond);
    }
}
