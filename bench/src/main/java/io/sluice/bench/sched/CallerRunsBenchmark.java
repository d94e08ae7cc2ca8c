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
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.Stage;

/**
 * TaskOverheadBenchmark's stage of empty tasks on three pools in one JVM, so {@code io.sluice.bench.PairedRatio} can
 * alternate any two of them in short slices (the figure to trust on a loaded machine): work stealing with the calling
 * thread running tasks while it waits ({@code callerRuns}, the default), work stealing with the caller only waiting
 * ({@code callerWaits}, the earlier behaviour), and ForkJoinPool ({@code forkJoin}, the same RecursiveActions as
 * TaskOverheadBenchmark's FORK_JOIN). Two more pools run caller-runs with the workers woken later
 * ({@link SchedulerConfig.Builder#callerWakeDelayNanos}): {@code callerDelayed} after {@link #WAKE_DELAY_NANOS} of the
 * caller's own running, {@code callerAlone} never while the caller finds tasks to claim (a stage it finishes alone
 * wakes nobody). Only the measured pool's threads are busy at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallerRunsBenchmark {
    /** How long {@code callerDelayed}'s caller runs tasks alone before it wakes the workers. */
    static final long WAKE_DELAY_NANOS = 100_000;

    @Param({"2"})
    public int workers;

    /** Tasks per stage, as in TaskOverheadBenchmark. */
    @Param({"10000"})
    public int tasks;

    private ContenderPool callerRuns;
    private ContenderPool callerWaits;
    private ContenderPool callerDelayed;
    private ContenderPool callerAlone;
    private ContenderPool forkJoin;
    private Stage<Integer> stage;

    @Setup(Level.Trial)
    public void setUp() {
        stage = TaskOverheadBenchmark.emptyStage(tasks);
        callerRuns = ContenderPool.open("caller-runs", Contender.WORK_STEALING, workers, b -> b.callerRuns(true));
        callerWaits = ContenderPool.open("caller-waits", Contender.WORK_STEALING, workers, b -> b.callerRuns(false));
        callerDelayed = ContenderPool.open("caller-delayed", Contender.WORK_STEALING, workers,
            b -> b.callerRuns(true).callerWakeDelayNanos(WAKE_DELAY_NANOS));
        callerAlone = ContenderPool.open("caller-alone", Contender.WORK_STEALING, workers,
            b -> b.callerRuns(true).callerWakeDelayNanos(Long.MAX_VALUE));
        forkJoin = ContenderPool.open("fork-join", Contender.FORK_JOIN, workers, b -> b);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        callerRuns.close();
        callerWaits.close();
        callerDelayed.close();
        callerAlone.close();
        forkJoin.close();
    }

    @Benchmark
    public int callerRuns() {
        return callerRuns.scheduler().run(stage).results().size();
    }

    @Benchmark
    public int callerWaits() {
        return callerWaits.scheduler().run(stage).results().size();
    }

    @Benchmark
    public int callerDelayed() {
        return callerDelayed.scheduler().run(stage).results().size();
    }

    @Benchmark
    public int callerAlone() {
        return callerAlone.scheduler().run(stage).results().size();
    }

    @Benchmark
    public int forkJoin() {
        return TaskOverheadBenchmark.forkJoinEmptyTasks(forkJoin.forkJoin(), tasks);
    }
}
