package io.sluice.bench.harness;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.sluice.bench.BenchSchedulers;
import io.sluice.bench.TaskCost;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.SpeculationPolicy;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.Task;

/**
 * How many speculative copies a stage of small tasks launches under the speculation rule before and after the
 * gain floor ({@link SpeculationPolicy#DEFAULT_MIN_GAIN_NANOS}): a stage of 256 tasks sleeping 1-3 ms each (a small
 * write stage) on 8 work-stealing workers with speculation on, run alternately under the old default rule (1.4 x
 * median, at least 1 ms, no gain floor) and the current default, in the same process. Usage: {@code java -cp
 * bench/target/benchmarks.jar io.sluice.bench.harness.SmallTaskSpeculation [stagesPerRule]} (default 20).
 */
public final class SmallTaskSpeculation {
    private static final int TASKS = 256;
    private static final int WORKERS = 8;

    private SmallTaskSpeculation() {
    }

    public static void main(final String[] args) {
        final int stages = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(run(stages, 42));
    }

    /** Runs {@code stages} stages per rule and returns the markdown table with the measured load. */
    static String run(final int stages, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Task<Long>> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            final long nanos = 1_000_000L + random.nextLong(2_000_000L);
            tasks.add(Task.of(ctx -> {
                TaskCost.sleep().run(nanos, 1.0);
                return nanos;
            }));
        }
        final Stage<Long> stage = Stage.of("small-tasks", tasks);
        final RunLoad load = RunLoad.start();
        final long[][] copies = new long[2][stages];
        final long[][] makespan = new long[2][stages];
        try (Scheduler before = Scheduler.create(config("before").speculationMinGainNanos(0).build());
             Scheduler after = Scheduler.create(config("after").build())) {
            before.run(stage);
            after.run(stage);
            for (int s = 0; s < stages; s++) {
                record(before.run(stage), copies[0], makespan[0], s);
                record(after.run(stage), copies[1], makespan[1], s);
            }
        }
        final MarkdownTable table = MarkdownTable.withHeader("rule", "stages", "copies (total)", "stages with a copy",
            "copies per stage max", "makespan median ms");
        final String[] rules = {"before: 1.4 x median, >= 1 ms", "after: also >= median + 10 ms"};
        for (int r = 0; r < 2; r++) {
            long total = 0;
            long max = 0;
            int with = 0;
            for (final long c : copies[r]) {
                total += c;
                max = Math.max(max, c);
                with += c > 0 ? 1 : 0;
            }
            final long[] sorted = makespan[r].clone();
            Arrays.sort(sorted);
            table.row(rules[r], stages, total, with, max, sorted[stages / 2] / 1e6);
        }
        return String.format(Locale.ROOT, "%d tasks of 1-3 ms (sleep), %d work-stealing workers, speculation on%n%n",
            TASKS, WORKERS) + table.render() + "\n" + load.stop().toMarkdown();
    }

    private static SchedulerConfig.Builder config(final String name) {
        return BenchSchedulers.quickWake("spec-" + name, SchedulingPolicy.WORK_STEALING, WORKERS).speculation(true);
    }

    private static void record(final StageResult<Long> result, final long[] copies, final long[] makespan, final int s) {
        copies[s] = result.summary().speculativeCopies();
        makespan[s] = result.summary().makespanNanos();
    }
}
