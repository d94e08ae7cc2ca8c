package io.sluice.engine.sched;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * Immutable configuration of a {@link Scheduler}; build with {@link #builder()}. Defaults: one worker per
 * available processor, work stealing, idle workers backing off to parks ({@link IdlePolicy#backoff()}), 1024-row
 * minimum morsels, speculation on for work-stealing placements only ({@link SpeculationPolicy#defaults()}: a copy of
 * an attempt running longer than 1.4 x the stage's median and at least 10 ms past it, after 75% of the stage's tasks
 * finished; checked at most every 1 ms), 4 attempts per task, seed 42, no faults, the system clock, worker threads
 * with the timer slack they inherit ({@link #timerSlackNanos()}).
 */
public final class SchedulerConfig {
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final String name;
    private final int workers;
    private final Placement.Factory placement;
    private final IdlePolicy idlePolicy;
    private final Supplier<IdleStrategy> idleStrategy;
    private final long minMorselRows;
    private final boolean speculation;
    private final SpeculationPolicy speculationPolicy;
    private final long speculationCheckIntervalNanos;
    private final int maxAttempts;
    private final long seed;
    private final FaultInjection faults;
    private final NanoClock clock;
    private final long closeTimeoutMillis;
    private final long drainTimeoutMillis;
    private final boolean callerRuns;
    private final long callerWakeDelayNanos;
    private final long timerSlackNanos;
    private final Path timerSlackProc;

    private SchedulerConfig(final Builder b) {
        this.name = b.name != null ? b.name : Integer.toString(POOL_IDS.incrementAndGet());
        this.workers = checkWorkers(b.workers);
        this.placement = b.placement;
        this.idlePolicy = b.idlePolicy;
        this.idleStrategy = b.idlePolicy != null ? b.idlePolicy::newStrategy : b.idleStrategy;
        this.minMorselRows = checkMinMorselRows(b.minMorselRows);
        this.speculation = b.speculation != null ? b.speculation : b.placement.stealsWork();
        this.speculationPolicy = new SpeculationPolicy(b.speculationMultiplier, b.speculationMinFinishedFraction,
            b.speculationMinRunNanos, b.speculationMinGainNanos);
        if (b.maxAttempts < 1 || b.speculationCheckIntervalNanos < 0 || b.closeTimeoutMillis < 1
            || b.drainTimeoutMillis < 1) {
            throw new IllegalArgumentException("maxAttempts=" + b.maxAttempts + " (>= 1) speculationCheckIntervalNanos="
                + b.speculationCheckIntervalNanos + " (>= 0) closeTimeoutMillis=" + b.closeTimeoutMillis + " (>= 1) drainTimeoutMillis="
                + b.drainTimeoutMillis + " (>= 1)");
        }
        this.speculationCheckIntervalNanos = b.speculationCheckIntervalNanos;
        this.maxAttempts = b.maxAttempts;
        this.seed = b.seed;
        this.faults = b.faults;
        this.clock = b.clock;
        this.closeTimeoutMillis = b.closeTimeoutMillis;
        this.drainTimeoutMillis = b.drainTimeoutMillis;
        this.callerRuns = b.callerRuns != null ? b.callerRuns : b.placement.stealsWork();
        if (b.callerWakeDelayNanos < 0) {
            throw new IllegalArgumentException("callerWakeDelayNanos=" + b.callerWakeDelayNanos + " must be >= 0");
        }
        this.callerWakeDelayNanos = b.callerWakeDelayNanos;
        this.timerSlackNanos = b.timerSlackNanos != null ? b.timerSlackNanos : TimerSlack.configuredNanos();
        this.timerSlackProc = b.timerSlackProc;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    static int checkWorkers(final int workers) {
        if (workers < 1 || workers > 4096) {
            throw new IllegalArgumentException("workers=" + workers + " out of range [1, 4096]");
        }
        return workers;
    }

    static long checkMinMorselRows(final long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("minMorselRows=" + rows + " must be >= 1");
        }
        return rows;
    }

    /** Pool name used in thread names {@code sluice-worker-<name>-<n>}. */
    public String name() {
        return name;
    }

    public int workers() {
        return workers;
    }

    /** The built-in policy this configuration places with, or null for a custom {@link #placement()}. */
    public SchedulingPolicy policy() {
        return placement instanceof SchedulingPolicy ? (SchedulingPolicy) placement : null;
    }

    /** Makes the pool's {@link Placement}: a {@link SchedulingPolicy} constant or a custom policy. */
    public Placement.Factory placement() {
        return placement;
    }

    /** What idle workers do (default {@link IdlePolicy#backoff()}), or null when a custom {@link #idleStrategy()} was set. */
    public IdlePolicy idlePolicy() {
        return idlePolicy;
    }

    /** Makes one idle strategy per worker thread (they are not thread-safe): {@link #idlePolicy()}'s, or a custom one. */
    public Supplier<IdleStrategy> idleStrategy() {
        return idleStrategy;
    }

    public long minMorselRows() {
        return minMorselRows;
    }

    public boolean speculation() {
        return speculation;
    }

    public SpeculationPolicy speculationPolicy() {
        return speculationPolicy;
    }

    public long speculationCheckIntervalNanos() {
        return speculationCheckIntervalNanos;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long seed() {
        return seed;
    }

    public FaultInjection faults() {
        return faults;
    }

    public NanoClock clock() {
        return clock;
    }

    public long closeTimeoutMillis() {
        return closeTimeoutMillis;
    }

    /**
     * How long {@link Scheduler#run} waits, after the stage ended, for attempts still running (losing speculative
     * copies, attempts of a failed stage) to return once interrupted; past it, run throws
     * {@link StageFailedException} naming the stuck worker instead of hanging. Default 30 s. With
     * {@link #callerRuns()}, an attempt that the calling thread runs itself is interrupted too, but if it ignores
     * the interrupt, run returns only when it does.
     */
    public long drainTimeoutMillis() {
        return drainTimeoutMillis;
    }

    /**
     * Whether the thread that called {@link Scheduler#run} claims and runs the stage's tasks itself while it waits
     * (caller-runs, like a ForkJoinPool join that helps), parking only when nothing is left to claim. Its attempts
     * are reported as the pseudo-worker {@link #callerWorker()}. Only placements whose claims let a non-worker take
     * tasks ({@link Placement.Claims#help}) use it; static placement never does. Default: on for work-stealing
     * placements.
     */
    public boolean callerRuns() {
        return callerRuns;
    }

    /**
     * With {@link #callerRuns()}: how long the caller runs a new stage alone before it wakes parked workers (workers
     * that are still spinning join at once). 0 (the default) wakes them when the stage is published; a stage that
     * the caller finishes within the delay wakes nobody. The caller always wakes them before it waits.
     */
    public long callerWakeDelayNanos() {
        return callerWakeDelayNanos;
    }

    /**
     * The Linux timer slack in nanoseconds each worker thread sets for itself when it starts
     * ({@link TimerSlack#trySetForCurrentThread}); 0 or negative leaves the slack it inherited (50 us unless changed).
     * Gain: a timed park (idle backoff, a task's own sleeps and timed waits) returns closer to its deadline (measured
     * here: ~15-35 us late at 1 us instead of ~65-80 us). Cost: the kernel no longer fires these threads' timers
     * together, so each wake-up is paid alone: measured here, 1.4-1.8x the workers' CPU time per short stage. Default
     * {@link TimerSlack#DEFAULT_NANOS} (0), or the system property {@value TimerSlack#PROPERTY}. Best effort: where
     * it cannot be set (not Linux, kernel before 4.6), the workers run with the inherited slack. Threads a task
     * creates inherit the worker's slack.
     */
    public long timerSlackNanos() {
        return timerSlackNanos;
    }

    /** Where the workers look for the proc file system ({@code /proc}; tests point it elsewhere). */
    Path timerSlackProc() {
        return timerSlackProc;
    }

    /**
     * The worker index under which attempts run by the calling thread are reported (metrics, listeners, busy time):
     * {@code workers()}, one past the last worker thread, named "caller".
     */
    public int callerWorker() {
        return workers;
    }

    /** A new, empty placement of the configured policy for these workers. */
    public Placement newPlacement() {
        final Placement p = placement.create(workers, minMorselRows, seed);
        if (p.workers() != workers) {
            throw new IllegalStateException("placement=" + placement.name() + " made for workers=" + p.workers()
                + " but config.workers=" + workers);
        }
        return p;
    }

    @Override
    public String toString() {
        return "SchedulerConfig{name=" + name + ", workers=" + workers + ", policy=" + placement.name() + ", minMorselRows="
            + minMorselRows + ", idle=" + (idlePolicy != null ? idlePolicy : "custom " + idleStrategy) + ", speculation="
            + speculation + ", multiplier=" + speculationPolicy.multiplier()
            + ", minFinishedFraction=" + speculationPolicy.minFinishedFraction() + ", minGainNanos="
            + speculationPolicy.minGainNanos() + ", maxAttempts=" + maxAttempts
            + ", seed=" + seed + ", faults=" + faults + ", callerRuns=" + callerRuns + ", callerWakeDelayNanos="
            + callerWakeDelayNanos + ", timerSlackNanos=" + timerSlackNanos + '}';
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private String name;
        private int workers = Runtime.getRuntime().availableProcessors();
        private Placement.Factory placement = SchedulingPolicy.WORK_STEALING;
        private IdlePolicy idlePolicy = IdlePolicy.backoff();
        private Supplier<IdleStrategy> idleStrategy;
        private long minMorselRows = 1024;
        private Boolean speculation;
        private double speculationMultiplier = SpeculationPolicy.DEFAULT_MULTIPLIER;
        private double speculationMinFinishedFraction = SpeculationPolicy.DEFAULT_MIN_FINISHED_FRACTION;
        private long speculationMinRunNanos = SpeculationPolicy.DEFAULT_MIN_RUN_NANOS;
        private long speculationMinGainNanos = SpeculationPolicy.DEFAULT_MIN_GAIN_NANOS;
        private long speculationCheckIntervalNanos = 1_000_000L;
        private int maxAttempts = 4;
        private long seed = 42;
        private FaultInjection faults = FaultInjection.none();
        private NanoClock clock = NanoClock.system();
        private long closeTimeoutMillis = 30_000;
        private long drainTimeoutMillis = 30_000;
        private Boolean callerRuns;
        private long callerWakeDelayNanos;
        private Long timerSlackNanos;
        private Path timerSlackProc = TimerSlack.PROC;

        private Builder() {
        }

        public Builder name(final String value) {
            this.name = value;
            return this;
        }

        public Builder workers(final int value) {
            this.workers = value;
            return this;
        }

        /** One of the built-in policies (default work stealing). */
        public Builder policy(final SchedulingPolicy value) {
            this.placement = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Any placement policy, built-in or not; replaces {@link #policy}. */
        public Builder placement(final Placement.Factory value) {
            this.placement = Objects.requireNonNull(value, "placement");
            return this;
        }

        /**
         * What idle workers do: {@link IdlePolicy#busySpin()}, {@link IdlePolicy#backoff()} (default),
         * {@link IdlePolicy#park()} or {@link IdlePolicy#of}; replaces {@link #idleStrategy}.
         */
        public Builder idle(final IdlePolicy value) {
            this.idlePolicy = Objects.requireNonNull(value, "idle");
            this.idleStrategy = null;
            return this;
        }

        /** Any Agrona {@link IdleStrategy}, one made per worker thread; replaces {@link #idle}. */
        public Builder idleStrategy(final Supplier<IdleStrategy> value) {
            this.idleStrategy = Objects.requireNonNull(value, "idleStrategy");
            this.idlePolicy = null;
            return this;
        }

        public Builder minMorselRows(final long value) {
            this.minMorselRows = value;
            return this;
        }

        /** Speculation on or off (default: on for work-stealing placements only). */
        public Builder speculation(final boolean value) {
            this.speculation = value;
            return this;
        }

        public Builder speculationMultiplier(final double value) {
            this.speculationMultiplier = value;
            return this;
        }

        public Builder speculationMinFinishedFraction(final double value) {
            this.speculationMinFinishedFraction = value;
            return this;
        }

        public Builder speculationMinRunNanos(final long value) {
            this.speculationMinRunNanos = value;
            return this;
        }

        /** A copy's fixed cost: it is launched only for an attempt past {@code median + value} (see {@link SpeculationPolicy}). */
        public Builder speculationMinGainNanos(final long value) {
            this.speculationMinGainNanos = value;
            return this;
        }

        public Builder speculationCheckIntervalNanos(final long value) {
            this.speculationCheckIntervalNanos = value;
            return this;
        }

        public Builder maxAttempts(final int value) {
            this.maxAttempts = value;
            return this;
        }

        public Builder seed(final long value) {
            this.seed = value;
            return this;
        }

        public Builder faults(final FaultInjection value) {
            this.faults = Objects.requireNonNull(value, "faults");
            return this;
        }

        public Builder clock(final NanoClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder closeTimeoutMillis(final long value) {
            this.closeTimeoutMillis = value;
            return this;
        }

        public Builder drainTimeoutMillis(final long value) {
            this.drainTimeoutMillis = value;
            return this;
        }

        /** Caller-runs on or off (default: on for work-stealing placements; see {@link SchedulerConfig#callerRuns()}). */
        public Builder callerRuns(final boolean value) {
            this.callerRuns = value;
            return this;
        }

        /** See {@link SchedulerConfig#callerWakeDelayNanos()} (default 0). */
        public Builder callerWakeDelayNanos(final long value) {
            this.callerWakeDelayNanos = value;
            return this;
        }

        /**
         * See {@link SchedulerConfig#timerSlackNanos()} (default: {@value TimerSlack#PROPERTY} when set, else
         * {@link TimerSlack#DEFAULT_NANOS}); 0 or negative leaves the workers' inherited slack.
         */
        public Builder timerSlackNanos(final long value) {
            this.timerSlackNanos = value;
            return this;
        }

        Builder timerSlackProc(final Path value) {
            this.timerSlackProc = Objects.requireNonNull(value, "timerSlackProc");
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(this);
        }
    }
}
