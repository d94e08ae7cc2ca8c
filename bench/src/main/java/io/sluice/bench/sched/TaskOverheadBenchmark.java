package io.sluice.bench.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
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
import io.sluice.bench.harness.ContenderPool;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;

/**
 * Submit and complete one stage of 10k empty tasks: per-task scheduling overhead of each Sluice policy against
 * ForkJoinPool (10k RecursiveActions forked from inside the pool and joined).
 */
@Baseline(param = "policy", value = "FORK_JOIN")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskOverheadBenchmark {
    @Param({"STATIC", "CENTRAL_QUEUE", "WORK_STEALING", "FORK_JOIN"})
    public Contender policy;

    @Param({"2"})
    public int workers;

    /** Tasks per stage; 10k is the figure, a small count isolates the fixed per-stage cost. */
    @Param({"10000"})
    public int tasks;

    private ContenderPool pool;
    private Stage<Integer> stage;

    @Setup(Level.Trial)
    public void setUp() {
        stage = emptyStage(tasks);
        pool = ContenderPool.open("overhead", policy, workers, b -> b);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public int stageOfEmptyTasks() {
        if (pool.forkJoin() != null) {
            return forkJoinEmptyTasks(pool.forkJoin(), tasks);
        }
        return pool.scheduler().run(stage).results().size();
    }

    /** The ForkJoinPool peer: {@code tasks} empty RecursiveActions forked from inside {@code pool} and joined. */
    static int forkJoinEmptyTasks(final ForkJoinPool pool, final int tasks) {
        pool.invoke(new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
                final EmptyAction[] actions = new EmptyAction[tasks];
                for (int i = 0; i < tasks; i++) {
                    actions[i] = new EmptyAction();
                }
                invokeAll(actions);
            }
        });
        return tasks;
    }

    /** An empty ForkJoinPool task. */
    static final class EmptyAction extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        @Override
        protected void compute() {
            // Empty on purpose: only the scheduling cost is measured.
        }
    }

    /** A stage of {@code tasks} tasks that do nothing: what the per-task overhead benchmarks run. */
    static Stage<Integer> emptyStage(final int tasks) {
        final List<Task<Integer>> list = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            list.add(Task.of(ctx -> null));
        }
        return Stage.of("empty", list);
    }
}
