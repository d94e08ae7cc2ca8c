package io.sluice.bench.sched;

import java.util.ArrayList;
import java.util.List;
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

import io.sluice.bench.Contender;
import io.sluice.bench.harness.ContenderPool;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;

/**
 * Whether the cache-line padding of the work-stealing claim words pays: the same stage of empty tasks under work
 * stealing with the workers' claim words a cache line apart ({@code padded}, the default) and packed 4 longs apart
 * ({@code unpadded}, {@code -Dsluice.sched.padClaims=false}), each in its own fork of one run. Each owner writes
 * its claimed chunk per task and CASes its block word per chunk, so unpadded neighbours share a line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClaimPaddingBenchmark {
    @Param({"2"})
    public int workers;

    /** Tasks per stage, as in TaskOverheadBenchmark. */
    @Param({"10000"})
    public int tasks;

    private ContenderPool pool;
    private Stage<Integer> stage;

    @Setup(Level.Trial)
    public void setUp() {
        final List<Task<Integer>> list = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            list.add(Task.of(ctx -> null));
        }
        stage = Stage.of("empty", list);
        pool = ContenderPool.open("padding", Contender.WORK_STEALING, workers, b -> b);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dsluice.sched.padClaims=true")
    public int padded() {
        return pool.scheduler().run(stage).results().size();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dsluice.sched.padClaims=false")
    public int unpadded() {
        return pool.scheduler().run(stage).results().size();
    }
}
