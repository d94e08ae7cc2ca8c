package io.sluice.bench.dataset;

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
import io.sluice.bench.BenchSchedulers;
import io.sluice.bench.TaskCost;
import io.sluice.engine.dataset.CachedDataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Lineage recovery: time to recompute {@link #LOST} lost partitions of a cached dataset of {@link #PARTITIONS}
 * partitions on W workers (work stealing). Each partition costs {@link #COST_NANOS} of sleep (parked, not CPU) in
 * its generator plus {@link #ROWS} generated rows, so W can exceed the machine's cores; the ideal time is
 * ceil(LOST / W) x cost. Before each call the same {@link #LOST} partitions (every other one) are evicted; the
 * call recomputes exactly those in one stage, which the benchmark checks.
 */
@Baseline(param = "workers", value = "1")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dsluice.memory.boundsChecks=false", "-Dagrona.disable.bounds.checks=true"})
public class RecoveryBenchmark {
    /** Cached partitions. */
    public static final int PARTITIONS = 64;
    /** Partitions lost (evicted) before each recovery. */
    public static final int LOST = 32;
    /** Sleep per partition computed. */
    public static final long COST_NANOS = 4_000_000L;
    /** Rows per partition. */
    public static final int ROWS = 1_000;

    @Param({"1", "2", "4", "8", "16"})
    public int workers;

    private ExecutionContext ctx;
    private CachedDataset cached;
    private int[] lost;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-recovery", SchedulingPolicy.WORK_STEALING, workers).build());
        final TaskCost cost = TaskCost.sleep();
        cached = ctx.generate(Schema.of(Field.notNull("i", ColumnType.INT64)), PARTITIONS, (p, b) -> {
            cost.run(COST_NANOS, 1.0);
            for (int i = 0; i < ROWS; i++) {
                b.setInt64(0, (long) p * ROWS + i).endRow();
            }
        }).cache().materialize();
        lost = new int[LOST];
        for (int i = 0; i < LOST; i++) {
            lost[i] = 2 * i;
        }
    }

    @Setup(Level.Invocation)
    public void losePartitions() {
        if (cached.evict(lost) != LOST) {
            throw new IllegalStateException("expected " + LOST + " cached partitions to evict");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    @Benchmark
    public int recover() {
        cached.materialize();
        final int recomputed = cached.lastRecomputedPartitions();
        if (recomputed != LOST) {
            throw new IllegalStateException("recomputed=" + recomputed + " expected=" + LOST);
        }
        return recomputed;
    }
}
