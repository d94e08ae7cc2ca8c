package io.sluice.bench.sim;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.Placement;
import io.sluice.engine.sched.SpeculationPolicy;
import io.sluice.engine.sched.SplitShare;

/**
 * What a {@link ClusterSimulator} simulates: W virtual workers with their slowdowns (1 = normal speed) and dead
 * workers (they never take work), the placement policy with its minimum morsel and seed, speculation (off if null),
 * fault injection, the attempts allowed per range, and how long an idle work-stealing worker waits before trying to
 * steal again after a miss. Immutable; build with {@link #builder(int, Placement.Factory)}.
 */
public final class SimConfig {
    private final int workers;
    private final Placement.Factory policy;
    private final long minMorselRows;
    private final long seed;
    private final double[] slowdown;
    private final BitSet dead;
    private final SpeculationPolicy speculation;
    private final FaultInjection faults;
    private final int maxAttempts;
    private final long stealRetryNanos;
    private final long attemptOverheadNanos;
    private final boolean splitRunning;
    private final SplitShare splitShare;

    private SimConfig(final Builder b) {
        this.workers = b.workers;
        this.policy = b.policy;
        this.minMorselRows = b.minMorselRows;
        this.seed = b.seed;
        this.slowdown = b.slowdown.clone();
        this.dead = (BitSet) b.dead.clone();
        this.speculation = b.speculation;
        this.faults = b.faults;
        this.maxAttempts = b.maxAttempts;
        this.stealRetryNanos = b.stealRetryNanos;
        this.attemptOverheadNanos = b.attemptOverheadNanos;
        this.splitRunning = b.splitRunning;
        this.splitShare = b.splitShare;
        if (dead.cardinality() >= workers) {
            throw new IllegalArgumentException("sim workers=" + workers + " dead=" + dead + ": at least one must live");
        }
    }

    /** A builder for {@code workers} virtual workers (1..4096) under {@code policy}. */
    public static Builder builder(final int workers, final Placement.Factory policy) {
        return new Builder(workers, policy);
    }

    public int workers() {
        return workers;
    }

    public Placement.Factory policy() {
        return policy;
    }

    public long minMorselRows() {
        return minMorselRows;
    }

    public long seed() {
        return seed;
    }

    /** Slowdown of worker {@code w} (its tasks take this many times their cost), fault injection's included. */
    public double slowdown(final int w) {
        return slowdown[w] * faults.slowdown(w);
    }

    public boolean isDead(final int w) {
        return dead.get(w);
    }

    /** The speculation policy, or null when speculation is off. */
    public SpeculationPolicy speculation() {
        return speculation;
    }

    public FaultInjection faults() {
        return faults;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long stealRetryNanos() {
        return stealRetryNanos;
    }

    /** Virtual nanos every attempt takes on top of its rows' cost (a real worker's per-attempt slack); default 0. */
    public long attemptOverheadNanos() {
        return attemptOverheadNanos;
    }

    /**
     * Whether an idle worker with nothing to take splits a running attempt of a splittable task, as threaded work
     * stealing does when the task claims its rows in chunks; default false.
     */
    public boolean splitRunning() {
        return splitRunning;
    }

    /** How much of a running attempt an idle worker splits off, as the threaded workers do ({@link SplitShare}). */
    public SplitShare splitShare() {
        return splitShare;
    }

    @Override
    public String toString() {
        return "SimConfig{workers=" + workers + ", policy=" + policy.name() + ", minMorselRows=" + minMorselRows + ", seed=" + seed
            + ", slowdown=" + Arrays.toString(slowdown) + ", dead=" + dead + ", speculation=" + (speculation != null)
            + ", faults=" + faults + '}';
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private final int workers;
        private final Placement.Factory policy;
        private long minMorselRows = Long.MAX_VALUE / 4;
        private long seed = 42;
        private final double[] slowdown;
        private final BitSet dead = new BitSet();
        private SpeculationPolicy speculation;
        private FaultInjection faults = FaultInjection.none();
        private int maxAttempts = 4;
        private long stealRetryNanos = 100_000;
        private long attemptOverheadNanos;
        private boolean splitRunning;
        private SplitShare splitShare = SplitShare.configured();

        private Builder(final int workers, final Placement.Factory policy) {
            if (workers < 1 || workers > 4096 || policy == null) {
                throw new IllegalArgumentException("sim workers=" + workers + " policy=" + policy
                    + ": need 1..4096 workers and a policy");
            }
            this.workers = workers;
            this.policy = policy;
            this.slowdown = new double[workers];
            Arrays.fill(slowdown, 1.0);
        }

        /** Morsels are split down to this many rows (default: never split). */
        public Builder minMorselRows(final long value) {
            this.minMorselRows = value;
            return this;
        }

        public Builder seed(final long value) {
            this.seed = value;
            return this;
        }

        /** Worker {@code worker}'s tasks take {@code factor} (>= 1) times their cost. */
        public Builder slowWorker(final int worker, final double factor) {
            checkWorker(worker);
            if (!(factor >= 1) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("worker=" + worker + " slowdown=" + factor + " must be >= 1 and finite");
            }
            slowdown[worker] = factor;
            return this;
        }

        /** Worker {@code worker} is dead: it never takes work. */
        public Builder deadWorker(final int worker) {
            checkWorker(worker);
            dead.set(worker);
            return this;
        }

        /** Speculative copies decided by {@code value}; null turns speculation off (the default). */
        public Builder speculation(final SpeculationPolicy value) {
            this.speculation = value;
            return this;
        }

        public Builder faults(final FaultInjection value) {
            this.faults = value;
            return this;
        }

        public Builder maxAttempts(final int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts=" + value + " must be >= 1");
            }
            this.maxAttempts = value;
            return this;
        }

        /** Virtual nanos an idle work-stealing worker waits after a missed steal (its idle back-off). */
        public Builder stealRetryNanos(final long value) {
            if (value < 1) {
                throw new IllegalArgumentException("stealRetryNanos=" + value + " must be >= 1");
            }
            this.stealRetryNanos = value;
            return this;
        }

        /** Virtual nanos each attempt takes on top of its cost, >= 0 (default 0). */
        public Builder attemptOverheadNanos(final long value) {
            if (value < 0) {
                throw new IllegalArgumentException("attemptOverheadNanos=" + value + " must be >= 0");
            }
            this.attemptOverheadNanos = value;
            return this;
        }

        /** Whether idle workers split running attempts of splittable tasks (see {@link SimConfig#splitRunning}). */
        public Builder splitRunning(final boolean value) {
            this.splitRunning = value;
            return this;
        }

        /** The split rule (default: {@link SplitShare#configured()}, as a threaded pool reads it). */
        public Builder splitShare(final SplitShare value) {
            this.splitShare = Objects.requireNonNull(value, "splitShare");
            return this;
        }

        public SimConfig build() {
            if (minMorselRows < 1) {
                throw new IllegalArgumentException("minMorselRows=" + minMorselRows + " must be >= 1");
            }
            return new SimConfig(this);
        }

        private void checkWorker(final int worker) {
            if (worker < 0 || worker >= workers) {
                throw new IllegalArgumentException("worker=" + worker + " out of range [0, " + workers + ")");
            }
        }
    }
}
