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

import io.sluice.bench.Contender;
import io.sluice.bench.harness.ContenderPool;
import io.sluice.engine.sched.Stage;

/**
 * Whether the cache-line padding of the work-stealing claim words pays: the same stage of empty tasks on two
 * work-stealing pools, one with the workers' claim words a cache line apart ({@code padded}, the default), one
 * with them packed 4 longs apart ({@code unpadded}: created under {@code -Dsluice.sched.padClaims=false}). Each
 * owner writes its claimed chunk per task and CASes its block word per chunk, so unpadded neighbours share a line.
 * Both pools live in one JVM, so {@code io.sluice.bench.PairedRatio} can alternate the two methods in short slices
 * (the figure to trust on a loaded machine); only the measured pool's workers are busy at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClaimPaddingBenchmark {
    @Param({"2"})
    public int workers;

    /** Tasks per stage, as in TaskOverheadBenchmark. */
    @Param({"10000"})
    public int tasks;

    private static final String PAD_PROPERTY = "sluice.sched.padClaims";

    private ContenderPool padded;
    private ContenderPool unpadded;
    private Stage<Integer> stage;

    @Setup(Level.Trial)
    public void setUp() {
        stage = TaskOverheadBenchmark.emptyStage(tasks);
        final String before = System.getProperty(PAD_PROPERTY);
        try {
            System.setProperty(PAD_PROPERTY, "true");
            padded = ContenderPool.open("padded", Contender.WORK_STEALING, workers, b -> b);
            System.setProperty(PAD_PROPERTY, "false");
            unpadded = ContenderPool.open("unpadded", Contender.WORK_STEALING, workers, b -> b);
        } finally {
            if (before == null) {
                System.clearProperty(PAD_PROPERTY);
            } else {
                System.setProperty(PAD_PROPERTY, before);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        padded.close();
        unpadded.close();
    }

    @Benchmark
    public int padded() {
        return padded.scheduler().run(stage).results().size();
    }

    @Benchmark
    public int unpadded() {
        return unpadded.scheduler().run(stage).results().size();
    }
}
