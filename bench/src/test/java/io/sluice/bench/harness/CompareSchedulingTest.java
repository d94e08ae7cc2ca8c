package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bench.TaskCost;
import io.sluice.bench.Workload;
import io.sluice.bench.cli.CompareSchedulingOptions;
import io.sluice.bench.Contender;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;

class CompareSchedulingTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        return CompareScheduling.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void badOptionGivesOneLineNamingOptionAndRangeAndExitTwo() {
        assertEquals(2, run("--repetitions", "0"));
        final String message = err.toString();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("--repetitions") && message.contains("1..1000"), message);
        assertEquals("", out.toString());
    }

    @Test
    void tooManySlowWorkersIsABadOption() {
        assertEquals(2, run("--workers", "2", "--slow-workers", "3"));
        assertTrue(err.toString().contains("--slow-workers"), err.toString());
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("--policies"), out.toString());
    }

    @Test
    void optionsBecomeTheJobAndTheSchedulerConfigs() {
        final CompareSchedulingOptions options = CompareSchedulingOptions.parse("--workers", "3", "--tasks", "7",
            "--slow-workers", "1", "--slow-factor", "5", "--task-micros", "500", "--skew", "uniform");
        final MorselJob job = MorselJob.of(options.workload());
        assertEquals(3, job.workers());
        assertEquals(7, job.tasks());
        assertEquals(5_000, job.rows(0), "500 us at 100 ns per row");
        final Workload w = job.workload();
        int slow = 0;
        for (int i = 0; i < 3; i++) {
            slow += w.workerSlowdown(i) == 5.0 ? 1 : 0;
        }
        assertEquals(1, slow);
        final PolicyRunner runner = new PolicyRunner(job, TaskCost.sleep(), options.seed());
        final SchedulerConfig ws = runner.config(Contender.WORK_STEALING);
        final SchedulerConfig spec = runner.config(Contender.WORK_STEALING_SPECULATION);
        assertEquals(SchedulingPolicy.WORK_STEALING, ws.policy());
        assertEquals(false, ws.speculation());
        assertEquals(true, spec.speculation());
        assertEquals(3, spec.workers());
        assertEquals(MorselJob.MIN_MORSEL_ROWS, spec.minMorselRows());
        assertEquals(SchedulingPolicy.CENTRAL_QUEUE, runner.config(Contender.CENTRAL_QUEUE).policy());
        assertEquals(false, runner.config(Contender.STATIC).speculation());
    }

    @Test
    void tinyRealRunPrintsTheTableAndWritesTheReport(@TempDir final Path dir) throws IOException {
        assertEquals(0, run("--workers", "2", "--tasks", "6", "--task-micros", "200", "--repetitions", "2",
            "--slow-workers", "1", "--slow-factor", "2", "--no-granularity", "--out", dir.toString()), err.toString());
        for (final Contender p : Contender.defaults()) {
            final String row = out.toString().lines().filter(l -> l.startsWith("| " + p.label() + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(out.toString()));
            assertTrue(row.trim().endsWith("6/6 |"), "committed-once column: " + row);
        }
        assertEquals(10, err.toString().lines().filter(l -> l.startsWith("[")).count(), err.toString());
        final Path folder;
        try (Stream<Path> list = Files.list(dir)) {
            final List<Path> folders = list.toList();
            assertEquals(1, folders.size());
            folder = folders.get(0);
        }
        assertTrue(folder.getFileName().toString().endsWith("-compare-scheduling"), folder.toString());
        for (final String file : List.of("README.md", "runs.csv", "makespan.svg", "makespan.png",
            "busy-per-worker.svg", "busy-per-worker.png")) {
            assertTrue(Files.size(folder.resolve(file)) > 0, file);
        }
        final List<String> csv = Files.readAllLines(folder.resolve("runs.csv"));
        assertEquals(1 + 5 * 2 * 2, csv.size(), "header + policies x repetitions x workers");
        final String readme = Files.readString(folder.resolve("README.md"));
        assertTrue(readme.contains("x lower bound") && readme.contains("## Machine"), readme);
        assertTrue(readme.contains("**load average (1 min)**") && readme.contains("s CPU time in")
            && !readme.contains("other helpers"), "measured load, no fixed sentence: " + readme);
    }

    @Test
    void injectedFailuresAreRetriedOncePerFailingTask(@TempDir final Path dir) throws IOException {
        final String[] args = {"--workers", "2", "--tasks", "8", "--task-micros", "100", "--repetitions", "1",
            "--failure-rate", "0.5", "--seed", "3", "--policies", "static,central-queue,fork-join", "--no-granularity",
            "--out", dir.toString()};
        final Workload w = CompareSchedulingOptions.parse(args).workload();
        int failing = 0;
        for (int t = 0; t < w.tasks(); t++) {
            failing += w.firstAttemptFails(t) ? 1 : 0;
        }
        assertTrue(failing > 0, "seed 3 must make some task fail");
        assertEquals(0, run(args), err.toString());
        for (final Contender p : List.of(Contender.STATIC, Contender.CENTRAL_QUEUE, Contender.FORK_JOIN)) {
            final String row = out.toString().lines().filter(l -> l.startsWith("| " + p.label() + " ")).findFirst()
                .orElseThrow();
            final String[] cells = row.split("\\|");
            assertEquals(Integer.toString(failing), cells[cells.length - 2].trim().replace(".00", ""), row);
            assertEquals("8/8", cells[cells.length - 1].trim(), "every task committed exactly once: " + row);
        }
    }
}
