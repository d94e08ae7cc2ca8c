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
import io.sluice.engine.sched.Stage;

/**
 * Makespan of one stage (sleep-based costs, see {@link Workload}) for static, central-queue, work-stealing and
 * ForkJoinPool, under uniform, Zipf-skewed and one-slow-worker workloads, W workers. Compare each score with
 * {@link Workload#lowerBoundNanos(int)}.
 */
@Baseline(param = "policy", value = "STATIC")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SchedulingBenchmark {
    @Param({"STATIC", "CENTRAL_QUEUE", "WORK_STEALING", "FORK_JOIN"})
    public Policy policy;

    @Param({"UNIFORM", "ZIPF", "SLOW_WORKER"})
    public Workload workload;

    @Param({"2", "8", "16"})
    public int workers;

    private PolicyPool pool;
    private Stage<Long> stage;
    private long[] rows;

    @Setup(Level.Trial)
    public void setUp() {
        rows = workload.partitionRows();
        stage = workload.stage();
        pool = PolicyPool.open("bench", policy, workers, b -> b.minMorselRows(Workload.MIN_MORSEL_ROWS).faults(workload.faults()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public long makespan() {
        final long covered;
        if (pool.forkJoin() != null) {
            covered = ForkJoinStage.run(pool.forkJoin(), rows, workload == Workload.SLOW_WORKER ? Workload.SLOW_FACTOR : 1.0);
        } else {
            long sum = 0;
            for (final Long r : pool.scheduler().run(stage).results()) {
                sum += r;
            }
            covered = sum;
        }
        if (covered != Workload.TOTAL_ROWS) {
            throw new IllegalStateException("rows covered=" + covered + " expected=" + Workload.TOTAL_ROWS);
        }
        return covered;
    }
}
