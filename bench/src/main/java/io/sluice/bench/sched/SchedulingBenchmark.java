package io.sluice.bench.sched;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.bench.Baseline;
import io.sluice.bench.Contender;
import io.sluice.bench.Skew;
import io.sluice.bench.TaskCost;
import io.sluice.bench.Workload;
import io.sluice.bench.WorkloadGenerator;
import io.sluice.bench.harness.ContenderPool;
import io.sluice.bench.harness.MorselJob;
import io.sluice.bench.harness.RunRecord;
import io.sluice.engine.sched.Stage;

/**
 * Makespan of one stage for static, central-queue, work-stealing and ForkJoinPool, under uniform, Zipf-skewed and
 * one-slow-worker workloads, W workers: the compare-scheduling harness ({@link MorselJob} on a
 * {@link ContenderPool}, sleep-based costs, so W can exceed the 2 cores of the measuring machine and the makespan
 * measures placement, not CPU) under JMH. Compare each score with {@link MorselJob#lowerBoundNanos()}.
 */
@Baseline(param = "policy", value = "STATIC")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SchedulingBenchmark {
    /** Partitions per stage. */
    public static final int PARTITIONS = 64;
    /** Mean partition cost: 64 x 6.55 ms = 419 ms of work per stage (2^22 rows of 100 ns). */
    public static final long MEAN_TASK_NANOS = (1L << 16) * MorselJob.NANOS_PER_ROW;
    public static final double SLOW_FACTOR = 4.0;
    private static final long SEED = 42;

    /** The workloads, made by the harness's generator. */
    public enum Scenario {
        /** Equal partitions. */
        UNIFORM,
        /** Partition sizes from Zipf(1.1) record ranks, as compare-scheduling's default. */
        ZIPF,
        /** UNIFORM with worker 0 four times slower. */
        SLOW_WORKER;

        /** The workload on {@code workers} workers. */
        public Workload workload(final int workers) {
            final Skew skew = this == ZIPF ? Skew.zipf(1.1) : Skew.uniform();
            final int[] slow = this == SLOW_WORKER ? new int[] {0} : new int[0];
            return WorkloadGenerator.generate(PARTITIONS, skew, MEAN_TASK_NANOS, workers, slow, SLOW_FACTOR, 0, SEED);
        }
    }

    @Param({"STATIC", "CENTRAL_QUEUE", "WORK_STEALING", "FORK_JOIN"})
    public Contender policy;

    @Param({"UNIFORM", "ZIPF", "SLOW_WORKER"})
    public Scenario workload;

    @Param({"2", "8", "16"})
    public int workers;

    private ContenderPool pool;
    private MorselJob job;
    private Stage<Long> stage;

    @Setup(Level.Trial)
    public void setUp() {
        job = MorselJob.of(workload.workload(workers));
        stage = job.stage(TaskCost.sleep());
        pool = ContenderPool.open("bench", policy, workers, b -> b.minMorselRows(job.minMorselRows()).seed(SEED));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public int makespan() {
        final RunRecord record = pool.run(job, stage, TaskCost.sleep(), 1);
        if (record.committedTasks() != job.tasks()) {
            throw new IllegalStateException("tasks committed exactly once=" + record.committedTasks() + " of "
                + job.tasks());
        }
        return record.committedTasks();
    }
}
