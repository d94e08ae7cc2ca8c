package io.sluice.bench.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.SpeculationPolicy;

/**
 * The D-Streams straggler table (Zaharia et al., SOSP 2013, Table 2: interval processing time with no straggler,
 * with one straggler, and with one straggler plus speculation) on simulated clusters. One interval is a stage of
 * {@link #TASKS_PER_WORKER} tasks per worker with log-normal task times, placed by locality (the static policy:
 * task i on worker i mod W, as Spark's locality-aware placement keeps a block's tasks on its node); the straggler
 * is worker 0 running {@code slowFactor} times slower; speculation is the engine's policy with the engine's defaults
 * ({@link SpeculationPolicy#defaults()}).
 *
 * <p>Calibration, stated: per job the median task time is scaled so the no-straggler row matches the paper (all
 * times scale linearly) and the slow factor is found by bisection so the straggler row matches; the speculation
 * row is then a prediction of the simulation, as are the rows under work-stealing placement.
 */
public final class StragglerScenario {
    /** Workers of the simulated cluster. */
    public static final int WORKERS = 20;
    public static final int TASKS_PER_WORKER = 4;
    /** The engine's defaults ({@link SpeculationPolicy#defaults()}). */
    public static final SpeculationPolicy SPECULATION = SpeculationPolicy.defaults();
    private static final long ROWS = 1000;
    private static final int BISECTION_STEPS = 40;
    private static final double MAX_FACTOR = 100;

    /** A job of the paper's table with its figures (seconds) and the spread of its task times. */
    public record Job(String name, double paperNone, double paperStraggler, double paperSpeculation, double sigma) {
    }

    /** The two jobs: WordCount (wider task times, sigma 0.3) and Grep (narrower, sigma 0.1). */
    public static final List<Job> JOBS = List.of(new Job("WordCount", 0.55, 3.02, 1.00, 0.3),
        new Job("Grep", 0.54, 2.40, 0.64, 0.1));

    /** One row: figures in seconds, means over the simulated intervals. */
    public record Row(Job job, double medianTaskSeconds, double slowFactor, double none, double straggler,
                      double speculation, double stealingStraggler, double stealingSpeculation) {
    }

    private final int intervals;
    private final long seed;

    /** Averages over {@code intervals} simulated intervals, task times drawn from {@code seed}. */
    public StragglerScenario(final int intervals, final long seed) {
        if (intervals < 1) {
            throw new IllegalArgumentException("intervals=" + intervals + " must be >= 1");
        }
        this.intervals = intervals;
        this.seed = seed;
    }

    /** Calibrates and simulates every job. */
    public List<Row> run() {
        final List<Row> rows = new ArrayList<>();
        for (final Job job : JOBS) {
            rows.add(run(job));
        }
        return rows;
    }

    /** Calibrates and simulates one job. */
    public Row run(final Job job) {
        final double unit = mean(job, 1.0, 1.0, SchedulingPolicy.STATIC, false);
        final double median = job.paperNone() / unit;
        double lo = 1;
        double hi = MAX_FACTOR;
        for (int i = 0; i < BISECTION_STEPS; i++) {
            final double mid = (lo + hi) / 2;
            if (mean(job, median, mid, SchedulingPolicy.STATIC, false) < job.paperStraggler()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        final double factor = (lo + hi) / 2;
        return new Row(job, median, factor, mean(job, median, 1.0, SchedulingPolicy.STATIC, false),
            mean(job, median, factor, SchedulingPolicy.STATIC, false), mean(job, median, factor, SchedulingPolicy.STATIC, true),
            mean(job, median, factor, SchedulingPolicy.WORK_STEALING, false),
            mean(job, median, factor, SchedulingPolicy.WORK_STEALING, true));
    }

    /** Mean interval time (s) of {@code job} with median task {@code medianSeconds} and worker 0 {@code factor}x slower. */
    double mean(final Job job, final double medianSeconds, final double factor, final SchedulingPolicy policy,
                final boolean speculate) {
        double sum = 0;
        for (int k = 0; k < intervals; k++) {
            final SimConfig.Builder config = SimConfig.builder(WORKERS, policy).seed(seed + k).slowWorker(0, factor);
            if (speculate) {
                config.speculation(SPECULATION);
            }
            sum += new ClusterSimulator(config.build()).run(interval(job, medianSeconds, k)).makespanSeconds();
        }
        return sum / intervals;
    }

    /** Interval {@code k}'s tasks: log-normal times (median, sigma), placed by the policy's claims (static: i mod W). */
    List<SimTask> interval(final Job job, final double medianSeconds, final int k) {
        final SplittableRandom random = new SplittableRandom(seed * 31 + k);
        final List<SimTask> tasks = new ArrayList<>();
        for (int i = 0; i < WORKERS * TASKS_PER_WORKER; i++) {
            final double seconds = medianSeconds * Math.exp(job.sigma() * random.nextGaussian());
            tasks.add(new SimTask(0, ROWS, seconds * 1e9 / ROWS, SimTask.CLAIMED, false));
        }
        return tasks;
    }
}
