package io.sluice.engine.sched;

/**
 * Deterministic fault and straggler injection for tests and benchmarks. Decisions are pure functions of the seed
 * and the attempt's identity, so a run is reproducible whatever the thread interleaving.
 * <ul>
 *   <li>slow worker: {@link #slowdown(int)} is the factor by which worker {@code k}'s tasks should stretch their
 *       cost. The scheduler cannot slow arbitrary code down, so a task with a sleep- or spin-based cost multiplies
 *       it by {@link TaskContext#slowdown()};</li>
 *   <li>failing attempts: an attempt fails (before the task body runs) with probability {@code p};</li>
 *   <li>killed worker: worker {@code k}'s thread dies (an {@link Error} from its loop) when it takes its
 *       {@code n+1}-th morsel, once; the pool replaces it and re-runs that morsel.</li>
 * </ul>
 */
public final class FaultInjection {
    private static final FaultInjection NONE = new FaultInjection(0, -1, 1.0, 0.0, -1, 0);

    private final long seed;
    private final int slowWorker;
    private final double slowFactor;
    private final double failProbability;
    private final int killWorker;
    private final long killAfterTasks;

    private FaultInjection(final long seed, final int slowWorker, final double slowFactor, final double failProbability,
                           final int killWorker, final long killAfterTasks) {
        if (!(slowFactor >= 1.0) || !(failProbability >= 0.0 && failProbability < 1.0) || killAfterTasks < 0) {
            throw new IllegalArgumentException("slowFactor=" + slowFactor + " (>= 1) failProbability=" + failProbability
                + " (in [0, 1)) killAfterTasks=" + killAfterTasks + " (>= 0)");
        }
        this.seed = seed;
        this.slowWorker = slowWorker;
        this.slowFactor = slowFactor;
        this.failProbability = failProbability;
        this.killWorker = killWorker;
        this.killAfterTasks = killAfterTasks;
    }

    /** No faults. */
    public static FaultInjection none() {
        return NONE;
    }

    /** Same faults with another seed. */
    public FaultInjection withSeed(final long newSeed) {
        return new FaultInjection(newSeed, slowWorker, slowFactor, failProbability, killWorker, killAfterTasks);
    }

    /** Adds: worker {@code worker}'s tasks cost {@code factor} times more. */
    public FaultInjection slowWorker(final int worker, final double factor) {
        return new FaultInjection(seed, worker, factor, failProbability, killWorker, killAfterTasks);
    }

    /** Adds: each attempt fails with probability {@code p}. */
    public FaultInjection failAttempts(final double p) {
        return new FaultInjection(seed, slowWorker, slowFactor, p, killWorker, killAfterTasks);
    }

    /** Adds: worker {@code worker} dies when taking its {@code tasks + 1}-th morsel. */
    public FaultInjection killWorkerAfter(final int worker, final long tasks) {
        return new FaultInjection(seed, slowWorker, slowFactor, failProbability, worker, tasks);
    }

    /** Cost factor for tasks on {@code worker}: 1 unless it is the slow worker. */
    public double slowdown(final int worker) {
        return worker == slowWorker ? slowFactor : 1.0;
    }

    /** Whether this attempt at task {@code task}, rows from {@code from}, should fail. */
    public boolean failAttempt(final int task, final long from, final int attempt) {
        if (failProbability == 0.0) {
            return false;
        }
        long h = seed ^ 0x9E3779B97F4A7C15L;
        h = mix(h + task);
        h = mix(h + from);
        h = mix(h + attempt);
        return (h >>> 11) * 0x1.0p-53 < failProbability;
    }

    /** Whether worker {@code worker}, having taken {@code tasksTaken} morsels before, dies now. */
    public boolean killNow(final int worker, final long tasksTaken) {
        return worker == killWorker && tasksTaken == killAfterTasks;
    }

    /** Whether any fault is configured. */
    public boolean isActive() {
        return slowWorker >= 0 || failProbability > 0 || killWorker >= 0;
    }

    private static long mix(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "FaultInjection{seed=" + seed + ", slowWorker=" + slowWorker + ", slowFactor=" + slowFactor
            + ", failProbability=" + failProbability + ", killWorker=" + killWorker + ", killAfterTasks=" + killAfterTasks + '}';
    }
}
