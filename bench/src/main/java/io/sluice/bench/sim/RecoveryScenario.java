package io.sluice.bench.sim;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.Placement;

/**
 * Recovery from the loss of one node in a streaming job, parallel recovery vs single-node upstream backup, on
 * clusters of N virtual workers (the D-Streams paper, Sections 3.2 and 6.2). Model, stated:
 * <ul>
 *   <li>a batch arrives every {@link #INTERVAL_NANOS} (1 s) with {@link #PARTITIONS_PER_NODE} partitions per node,
 *       each of {@code load x 1 s / PARTITIONS_PER_NODE}, so every node is busy a fraction {@code load} of the time;</li>
 *   <li>node 0 fails just before a checkpoint: its partitions of the last {@link #CHECKPOINT_BATCHES} batches are
 *       lost and must be recomputed from lineage (the input is replicated), while new batches keep arriving;</li>
 *   <li>parallel recovery: node 0 stays dead; the lost partitions and node 0's share of new batches are offered to
 *       any worker, and the N - 1 survivors run them under the work-stealing policy;</li>
 *   <li>upstream backup: one standby takes node 0's place and alone replays the lost partitions and runs node 0's
 *       share of new batches (the static policy keeps them on it); the other nodes are unaffected;</li>
 *   <li>recovery time: from the failure until all lost partitions are recomputed and every task released so far has
 *       finished (the cluster has caught up). Without a failure this is one batch's processing time.</li>
 * </ul>
 */
public final class RecoveryScenario {
    public static final long INTERVAL_NANOS = 1_000_000_000L;
    public static final int PARTITIONS_PER_NODE = 8;
    /** Batches since the last checkpoint: 60 s, the figure the paper assumes for its recovery-time model (Fig. 7). */
    public static final int CHECKPOINT_BATCHES = 60;
    private static final long ROWS = 1000;
    private static final int MAX_BATCHES = 4096;

    /** How the lost node is recovered. */
    public enum Scheme { PARALLEL, UPSTREAM_BACKUP, NO_FAILURE }

    private final double load;
    private final long seed;

    /** A scenario at node load {@code load} in (0, 1). */
    public RecoveryScenario(final double load, final long seed) {
        if (!(load > 0 && load < 1)) {
            throw new IllegalArgumentException("load=" + load + " must be in (0, 1)");
        }
        this.load = load;
        this.seed = seed;
    }

    /** Recovery time in seconds on {@code nodes} nodes (2..4096) under {@code scheme}. */
    public double recoverySeconds(final int nodes, final Scheme scheme) {
        if (nodes < 2) {
            throw new IllegalArgumentException("nodes=" + nodes + " must be >= 2");
        }
        // Enough batches that upstream backup catches up: lost work / spare rate, plus margin; doubled if not enough.
        int batches = (int) Math.ceil(CHECKPOINT_BATCHES * load / (1 - load)) + 4;
        while (true) {
            final double seconds = simulate(nodes, scheme, batches);
            if (!Double.isNaN(seconds) || batches >= MAX_BATCHES) {
                return seconds;
            }
            batches *= 2;
        }
    }

    /** Recovery seconds with {@code batches} batches after the failure, or NaN if not caught up by the last one. */
    private double simulate(final int nodes, final Scheme scheme, final int batches) {
        final double partitionNanos = load * INTERVAL_NANOS / PARTITIONS_PER_NODE;
        final List<SimTask> tasks = new ArrayList<>();
        final boolean parallel = scheme == Scheme.PARALLEL;
        final int lost = scheme == Scheme.NO_FAILURE ? 0 : PARTITIONS_PER_NODE * CHECKPOINT_BATCHES;
        for (int i = 0; i < lost; i++) {
            tasks.add(new SimTask(0, ROWS, partitionNanos / ROWS, parallel ? Placement.ANY_WORKER : 0, false));
        }
        for (int b = 0; b < batches; b++) {
            for (int p = 0; p < nodes * PARTITIONS_PER_NODE; p++) {
                final int home = p % nodes;
                tasks.add(new SimTask(b * INTERVAL_NANOS, ROWS, partitionNanos / ROWS,
                    parallel && home == 0 ? Placement.ANY_WORKER : home, false));
            }
        }
        final SimConfig.Builder config = SimConfig.builder(nodes, parallel ? SchedulingPolicy.WORK_STEALING
            : SchedulingPolicy.STATIC).seed(seed);
        if (parallel) {
            config.deadWorker(0);
        }
        final SimResult result = new ClusterSimulator(config.build()).run(tasks);
        long lostDone = 0;
        for (int i = 0; i < lost; i++) {
            lostDone = Math.max(lostDone, result.taskFinishNanos(i));
        }
        // Batch b's tasks are released at b x I; the backlog is clear at the end of the first batch whose tasks, and
        // all released before it, are done by then, once the lost partitions are done.
        final int perBatch = nodes * PARTITIONS_PER_NODE;
        long doneSoFar = lostDone;
        for (int b = 0; b < batches; b++) {
            long batchDone = 0;
            for (int p = 0; p < perBatch; p++) {
                batchDone = Math.max(batchDone, result.taskFinishNanos(lost + b * perBatch + p));
            }
            doneSoFar = Math.max(doneSoFar, batchDone);
            final long nextRelease = (b + 1) * INTERVAL_NANOS;
            if (doneSoFar <= nextRelease) {
                return doneSoFar / 1e9;
            }
        }
        return Double.NaN;
    }

    public double load() {
        return load;
    }
}
