package io.sluice.engine.sched;

import java.util.Locale;

import org.agrona.concurrent.IdleStrategy;

/**
 * What an idle worker does while it has nothing to take: spin up to {@code maxSpins} times, then yield up to
 * {@code maxYields} times, then park, the first park {@code minParkNanos} long and each next one twice as long up to
 * {@code maxParkNanos}; any work it finds starts the sequence over. Immutable; {@link #newStrategy} makes the
 * per-thread state machine. A stage's start unparks every worker, so the park length does not delay a new stage; it
 * bounds how late a parked worker sees work nothing announces (retries and split parts queued by other workers, a
 * straggler worth a speculative copy) and how often an idle worker wakes for nothing.
 *
 * <p>Presets: {@link #busySpin()} (never parks: the lowest wake-up latency, a whole core per worker at all times),
 * {@link #backoff()} (the default: a short bounded spin and then parks) and {@link #park()} (parks at once, for
 * pools that share their cores with the application). The figures that chose them are in
 * {@code perf-reports/2026-11-30-idle-strategy}.
 */
public final class IdlePolicy {
    /** {@code maxSpins} of a worker that never stops spinning ({@link #busySpin()}). */
    public static final long UNBOUNDED = Long.MAX_VALUE;
    /**
     * Longest allowed park: a parked worker looks for unannounced work (retries, split parts, stragglers) at least
     * this often.
     */
    public static final long MAX_PARK_LIMIT_NANOS = 100_000_000L;

    private static final IdlePolicy BUSY_SPIN = new IdlePolicy("busySpin", UNBOUNDED, 0, 1, 1);
    private static final IdlePolicy BACKOFF = new IdlePolicy("backoff", 100, 0, 50_000, 1_000_000);
    private static final IdlePolicy PARK = new IdlePolicy("park", 0, 0, 1_000_000, 10_000_000);

    private final String name;
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;

    private IdlePolicy(final String name, final long maxSpins, final long maxYields, final long minParkNanos,
                       final long maxParkNanos) {
        if (maxSpins < 0) {
            throw new IllegalArgumentException("idle maxSpins=" + maxSpins + " must be >= 0");
        }
        if (maxYields < 0) {
            throw new IllegalArgumentException("idle maxYields=" + maxYields + " must be >= 0");
        }
        if (minParkNanos < 1) {
            throw new IllegalArgumentException("idle minParkNanos=" + minParkNanos + " must be >= 1 (a zero park returns"
                + " at once, a busy loop: use IdlePolicy.busySpin() for that)");
        }
        if (maxParkNanos < minParkNanos || maxParkNanos > MAX_PARK_LIMIT_NANOS) {
            throw new IllegalArgumentException("idle maxParkNanos=" + maxParkNanos + " out of range [minParkNanos="
                + minParkNanos + ", " + MAX_PARK_LIMIT_NANOS + "]");
        }
        this.name = name;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /** Spins and never parks: the lowest wake-up latency, and a core per worker burnt while idle. */
    public static IdlePolicy busySpin() {
        return BUSY_SPIN;
    }

    /**
     * The default: 100 spins (a few microseconds), no yield, then parks from 50 us doubling to 1 ms. No yields: on a
     * loaded Linux machine each yield pushes the worker's scheduling deadline back, so a worker that yielded when the
     * next stage arrives waits for a core (measured in {@code perf-reports/2026-11-30-idle-strategy}).
     */
    public static IdlePolicy backoff() {
        return BACKOFF;
    }

    /**
     * Parks from the first idle call, 1 ms doubling to 10 ms: no spin, no yield. The least CPU while idle; a split part
     * or straggler appearing while a worker is parked waits up to 10 ms for it.
     */
    public static IdlePolicy park() {
        return PARK;
    }

    /**
     * A custom sequence: up to {@code maxSpins} spins ({@link #UNBOUNDED}: spin forever), then up to
     * {@code maxYields} yields, then parks from {@code minParkNanos} doubling up to {@code maxParkNanos}
     * (at most {@link #MAX_PARK_LIMIT_NANOS}). Throws {@link IllegalArgumentException} naming a value out of range.
     */
    public static IdlePolicy of(final long maxSpins, final long maxYields, final long minParkNanos, final long maxParkNanos) {
        return new IdlePolicy("custom", maxSpins, maxYields, minParkNanos, maxParkNanos);
    }

    /** The preset called {@code name} ({@code busySpin}, {@code backoff} or {@code park}, any case). */
    public static IdlePolicy named(final String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "busyspin":
                return BUSY_SPIN;
            case "backoff":
                return BACKOFF;
            case "park":
                return PARK;
            default:
                throw new IllegalArgumentException("idle policy '" + name + "' unknown: one of busySpin, backoff, park");
        }
    }

    /** A new state machine for one worker thread (not thread-safe). */
    public IdleStrategy newStrategy() {
        return new BackoffIdle(this, BackoffIdle.THREAD);
    }

    /** The preset's name, or {@code custom}. */
    public String name() {
        return name;
    }

    public long maxSpins() {
        return maxSpins;
    }

    public long maxYields() {
        return maxYields;
    }

    public long minParkNanos() {
        return minParkNanos;
    }

    public long maxParkNanos() {
        return maxParkNanos;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof IdlePolicy p && p.maxSpins == maxSpins && p.maxYields == maxYields
            && p.minParkNanos == minParkNanos && p.maxParkNanos == maxParkNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxSpins) * 31 * 31 * 31 + Long.hashCode(maxYields) * 31 * 31 + Long.hashCode(minParkNanos) * 31
            + Long.hashCode(maxParkNanos);
    }

    @Override
    public String toString() {
        return maxSpins == UNBOUNDED ? name + "{spins=unbounded}" : name + "{spins=" + maxSpins + ", yields=" + maxYields
            + ", parkNanos=" + minParkNanos + ".." + maxParkNanos + '}';
    }
}
