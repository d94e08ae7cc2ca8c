package io.sluice.bench.sim;

import java.util.ArrayList;
import java.util.List;

import io.sluice.bench.Contender;
import io.sluice.bench.Skew;
import io.sluice.bench.Workload;
import io.sluice.bench.WorkloadGenerator;
import io.sluice.bench.harness.MorselJob;
import io.sluice.engine.sched.SchedulingPolicy;

/**
 * Static vs dynamic makespan under Zipf skew on a simulated cluster: the compare-scheduling workload (the same
 * {@link WorkloadGenerator} and {@link MorselJob}: partitions of 100 ns rows, halved down to 16,384-row morsels)
 * at cluster scale, placed statically (task i on worker i mod W, never split) or by the central queue and work
 * stealing with splitting, and by work stealing without splitting (whole partitions move, none is divided).
 */
public final class SkewScenario {
    /** A column: a contender (a Sluice policy) and whether it may split partitions. */
    public record Column(Contender contender, boolean split) {
        /** E.g. {@code WORK_STEALING_NO_SPLIT}: the contender, and "no split" for a splitting policy that does not. */
        public String name() {
            return contender.name() + (split || contender == Contender.STATIC ? "" : "_NO_SPLIT");
        }

        /** Position in {@link #COLUMNS}. */
        public int ordinal() {
            return COLUMNS.indexOf(this);
        }
    }

    public static final Column STATIC = new Column(Contender.STATIC, false);
    public static final Column CENTRAL_QUEUE = new Column(Contender.CENTRAL_QUEUE, true);
    public static final Column WORK_STEALING = new Column(Contender.WORK_STEALING, true);
    public static final Column WORK_STEALING_NO_SPLIT = new Column(Contender.WORK_STEALING, false);
    /** The columns compared, in order. */
    public static final List<Column> COLUMNS = List.of(STATIC, CENTRAL_QUEUE, WORK_STEALING, WORK_STEALING_NO_SPLIT);

    /** One case: its label, lower bound and makespan per placement (virtual seconds). */
    public record Row(String label, double lowerBoundSeconds, double[] makespanSeconds) {
        public Row {
            makespanSeconds = makespanSeconds.clone();
        }

        @Override
        public double[] makespanSeconds() {
            return makespanSeconds.clone();
        }

        /** Makespan under {@code placement}. */
        public double seconds(final Column placement) {
            return makespanSeconds[placement.ordinal()];
        }
    }

    private final int workers;
    private final int tasks;
    private final long meanTaskNanos;
    private final long seed;

    /** {@code tasks} partitions of mean cost {@code meanTaskNanos} on {@code workers} virtual workers. */
    public SkewScenario(final int workers, final int tasks, final long meanTaskNanos, final long seed) {
        this.workers = workers;
        this.tasks = tasks;
        this.meanTaskNanos = meanTaskNanos;
        this.seed = seed;
    }

    /** One row per skew, and with {@code slowWorkers} workers {@code slowFactor}x slower. */
    public Row run(final Skew skew, final int slowWorkers, final double slowFactor) {
        final Workload workload = WorkloadGenerator.generate(tasks, skew, meanTaskNanos, workers, slowWorkers, slowFactor,
            0, seed);
        final MorselJob job = MorselJob.of(workload);
        final double[] makespan = new double[COLUMNS.size()];
        for (final Column p : COLUMNS) {
            makespan[p.ordinal()] = simulate(job, p).makespanSeconds();
        }
        final String label = skew + (slowWorkers == 0 ? "" : " + " + slowWorkers + " slow x" + slowFactorText(slowFactor));
        return new Row(label, job.lowerBoundNanos() / 1e9, makespan);
    }

    /** The job under one placement. */
    public static SimResult simulate(final MorselJob job, final Column placement) {
        final int w = job.workers();
        final SchedulingPolicy policy = placement.contender().sluicePolicy();
        final SimConfig.Builder config = SimConfig.builder(w, policy).minMorselRows(job.minMorselRows());
        for (int i = 0; i < w; i++) {
            if (job.workload().workerSlowdown(i) > 1) {
                config.slowWorker(i, job.workload().workerSlowdown(i));
            }
        }
        return new ClusterSimulator(config.build()).run(tasks(job, placement.split()));
    }

    /** The job's partitions as the simulated stage, placed by the policy's claims (zero-row partitions become one row). */
    public static List<SimTask> tasks(final MorselJob job, final boolean splittable) {
        final List<SimTask> list = new ArrayList<>();
        for (int i = 0; i < job.tasks(); i++) {
            final long rows = job.rows(i);
            list.add(new SimTask(0, Math.max(1, rows), rows == 0 ? 0 : MorselJob.NANOS_PER_ROW, SimTask.CLAIMED,
                splittable));
        }
        return list;
    }

    private static String slowFactorText(final double factor) {
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }
}
