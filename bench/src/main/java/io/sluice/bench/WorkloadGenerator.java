package io.sluice.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Makes a {@link Workload} from the workload options, deterministically by seed.
 * <ul>
 *   <li>Task costs: {@code uniform} gives every task exactly the mean cost. {@code zipf:s} models records spread
 *       over partitions by a skewed key: {@code units} records each pick a partition rank from
 *       {@link ZipfDistribution} (inverse CDF), ranks are assigned to task indices by a seeded shuffle (so the big
 *       partition is not always task 0), and each task's cost is its record count times the cost of one record,
 *       scaled so the mean task cost is exactly the requested mean (up to rounding to whole nanoseconds).</li>
 *   <li>Slow workers: a seeded choice of {@code slowWorkers} workers runs {@code slowFactor} times slower.</li>
 *   <li>Failures: each task fails its first attempt with probability {@code failureRate}.</li>
 * </ul>
 * The three parts draw from independent streams of the seed, so changing the failure rate does not change sizes.
 */
public final class WorkloadGenerator {
    /** Records sampled per task for Zipf sizes: enough that tail partitions are rarely empty at s near 1. */
    public static final int RECORDS_PER_TASK = 64;
    /** Cap on records sampled, so a million tasks still generate in about a second. */
    public static final int MAX_RECORDS = 1 << 24;

    private WorkloadGenerator() {
    }

    /**
     * A workload of {@code tasks} tasks of mean cost {@code meanTaskNanos} with the given skew on {@code workers}
     * workers, {@code slowWorkers} of them {@code slowFactor} times slower, and first attempts failing with
     * probability {@code failureRate}.
     */
    public static Workload generate(final int tasks, final Skew skew, final long meanTaskNanos, final int workers,
                                    final int slowWorkers, final double slowFactor, final double failureRate,
                                    final long seed) {
        if (workers < 1 || slowWorkers < 0 || slowWorkers > workers) {
            throw new IllegalArgumentException("workload workers=" + workers + " slowWorkers=" + slowWorkers
                + ": need workers >= 1 and 0 <= slowWorkers <= workers");
        }
        // The same streams as the other form: sizes, then slow workers, then failures, split from the seed in order.
        final SplittableRandom root = new SplittableRandom(seed);
        root.split();
        final int[] workerOrder = shuffledIdentity(workers, root.split());
        return generate(tasks, skew, meanTaskNanos, workers, Arrays.copyOf(workerOrder, slowWorkers), slowFactor,
            failureRate, seed);
    }

    /**
     * As {@link #generate(int, Skew, long, int, int, double, double, long)}, but the slow workers are the ones
     * named: {@code slowWorkerIds}, distinct, each in {@code [0, workers)}. Sizes and failures do not depend on them.
     */
    public static Workload generate(final int tasks, final Skew skew, final long meanTaskNanos, final int workers,
                                    final int[] slowWorkerIds, final double slowFactor, final double failureRate,
                                    final long seed) {
        if (tasks < 1 || workers < 1 || meanTaskNanos < 0) {
            throw new IllegalArgumentException("workload tasks=" + tasks + " workers=" + workers + " meanTaskNanos="
                + meanTaskNanos + ": need tasks >= 1, workers >= 1, meanTaskNanos >= 0");
        }
        if (!(slowFactor >= 1) || !(failureRate >= 0 && failureRate < 1)) {
            throw new IllegalArgumentException("workload slowFactor=" + slowFactor + " failureRate=" + failureRate
                + ": need slowFactor >= 1 and 0 <= failureRate < 1");
        }
        final SplittableRandom root = new SplittableRandom(seed);
        final SplittableRandom sizes = root.split();
        root.split();  // the slow workers' stream, used by the count form: failures stay the same either way
        final SplittableRandom failures = root.split();
        final long[] costs = skew.isUniform() ? uniformCosts(tasks, meanTaskNanos)
            : zipfCosts(tasks, skew.exponent(), meanTaskNanos, sizes);
        final double[] slowdown = new double[workers];
        Arrays.fill(slowdown, 1.0);
        final boolean[] seen = new boolean[workers];
        for (final int w : slowWorkerIds) {
            if (w < 0 || w >= workers || seen[w]) {
                throw new IllegalArgumentException("slow worker=" + w + " of " + Arrays.toString(slowWorkerIds)
                    + ": need distinct indices in [0, " + workers + ")");
            }
            seen[w] = true;
            slowdown[w] = slowFactor;
        }
        final boolean[] fails = new boolean[tasks];
        for (int i = 0; i < tasks; i++) {
            fails[i] = failures.nextDouble() < failureRate;
        }
        return new Workload(costs, slowdown, fails);
    }

    /** Record counts per task for Zipf skew, before scaling to nanoseconds: sums to the records sampled. */
    static long[] zipfRecordCounts(final int tasks, final double exponent, final SplittableRandom random) {
        final ZipfDistribution zipf = new ZipfDistribution(tasks, exponent);
        final int[] taskOfRank = shuffledIdentity(tasks, random);
        final long records = Math.min((long) tasks * RECORDS_PER_TASK, MAX_RECORDS);
        final long[] counts = new long[tasks];
        for (long r = 0; r < records; r++) {
            counts[taskOfRank[zipf.sample(random) - 1]]++;
        }
        return counts;
    }

    private static long[] zipfCosts(final int tasks, final double exponent, final long meanTaskNanos,
                                    final SplittableRandom random) {
        final long[] counts = zipfRecordCounts(tasks, exponent, random);
        long records = 0;
        for (final long c : counts) {
            records += c;
        }
        final double nanosPerRecord = (double) meanTaskNanos * tasks / records;
        final long[] costs = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            costs[i] = Math.round(counts[i] * nanosPerRecord);
        }
        return costs;
    }

    private static long[] uniformCosts(final int tasks, final long meanTaskNanos) {
        final long[] costs = new long[tasks];
        Arrays.fill(costs, meanTaskNanos);
        return costs;
    }

    /** 0..n-1 in a seeded random order (Fisher-Yates). */
    private static int[] shuffledIdentity(final int n, final SplittableRandom random) {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
