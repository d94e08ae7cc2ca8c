package io.sluice.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.bench.Contender;
import io.sluice.bench.CostModel;
import io.sluice.bench.Skew;

class CompareSchedulingOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<CompareSchedulingOptions> ran = new AtomicReference<>();

    private int execute(final String... args) {
        return CompareSchedulingOptions.execute(args, new PrintWriter(out), new PrintWriter(err), options -> {
            ran.set(options);
            return 0;
        });
    }

    @Test
    void defaultsAreTheEmbeddedWorkload() {
        assertEquals(0, execute());
        final CompareSchedulingOptions o = ran.get();
        assertEquals(8, o.workers());
        assertEquals(256, o.tasks());
        assertEquals(Skew.zipf(1.1), o.skew());
        assertEquals(1, o.slowWorkers());
        assertEquals(4.0, o.slowFactor());
        assertEquals(0.0, o.failureRate());
        assertEquals(CostModel.SLEEP, o.cost());
        assertEquals(2000, o.taskMicros());
        assertEquals(5, o.repetitions());
        assertEquals(42L, o.seed());
        assertEquals(Path.of("perf-reports"), o.out());
        assertEquals(Contender.defaults(), o.policies());
        assertTrue(o.granularity(), "the default run adds the granularity panel");
        assertFalse(o.full(), "the default panel is the short one");
        assertEquals("", err.toString());
    }

    @Test
    void fullAndNoGranularityAreFlagsThatSurviveToArgs() {
        final CompareSchedulingOptions full = CompareSchedulingOptions.parse("--full");
        assertTrue(full.full());
        assertTrue(full.granularity());
        assertTrue(full.toArgs().contains("--full"), full.toString());
        final CompareSchedulingOptions none = CompareSchedulingOptions.parse("--no-granularity", "--workers", "3");
        assertFalse(none.granularity());
        assertFalse(none.full());
        final CompareSchedulingOptions again = CompareSchedulingOptions.parse(none.toArgs().toArray(new String[0]));
        assertFalse(again.granularity(), again.toString());
        assertEquals(none.toString(), again.toString());
        assertFalse(CompareSchedulingOptions.parse().toArgs().contains("--full"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CompareSchedulingOptions.parse("--full=maybe"));
        assertTrue(ex.getMessage().startsWith("compare-scheduling: ") && ex.getMessage().contains("--full"),
            ex.getMessage());
    }

    @Test
    void aRepeatedOptionTakesItsLastValue() {
        assertEquals(0, execute("--workers", "4", "--workers", "6", "--policies", "static", "--policies", "fork-join"),
            err.toString());
        assertEquals(6, ran.get().workers());
        assertEquals(List.of(Contender.FORK_JOIN), ran.get().policies());
        assertEquals("", err.toString());
    }

    @Test
    void slowWorkersPinsTheNamedWorkersOrCountsSeededOnes() {
        final CompareSchedulingOptions pinned = CompareSchedulingOptions.parse("--slow-workers", "1,5");
        assertEquals(2, pinned.slowWorkers());
        for (int w = 0; w < 8; w++) {
            assertEquals(w == 1 || w == 5 ? 4.0 : 1.0, pinned.workload().workerSlowdown(w), "worker " + w);
        }
        assertTrue(pinned.toString().contains("--slow-workers w1,w5"), pinned.toString());
        final CompareSchedulingOptions one = CompareSchedulingOptions.parse("--slow-workers", "w3");
        for (int w = 0; w < 8; w++) {
            assertEquals(w == 3 ? 4.0 : 1.0, one.workload().workerSlowdown(w), "worker " + w);
        }
        // Pinning changes only which workers are slow: sizes and failures stay those of the seed.
        final CompareSchedulingOptions counted = CompareSchedulingOptions.parse("--slow-workers", "2");
        assertEquals(2, counted.slowWorkers());
        assertEquals(counted.workload().maxTaskNanos(), pinned.workload().maxTaskNanos());
        assertEquals(CompareSchedulingOptions.parse().toString(),
            CompareSchedulingOptions.parse(CompareSchedulingOptions.parse().toArgs().toArray(new String[0])).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--workers 4 --slow-workers 1,5 | invalid value for --slow-workers: 'w1,w5'; accepted: worker indices in 0..3 "
            + "(workers=4)",
        "--slow-workers 2,2 | invalid value for --slow-workers: '2,2'; accepted: distinct worker indices",
        "--slow-workers w | invalid value for --slow-workers: 'w'; accepted: a count 0..1024, or worker indices such as "
            + "1,5 or w3"})
    void rejectsBadSlowWorkerLists(final String args, final String message) {
        assertEquals(CompareSchedulingOptions.EXIT_USAGE, execute(args.trim().split(" ")));
        assertEquals("compare-scheduling: " + message, err.toString().trim());
    }

    @Test
    void parsesEveryOption() {
        final CompareSchedulingOptions o = CompareSchedulingOptions.parse("--workers", "100", "--tasks", "1000000",
            "--skew", "uniform", "--slow-workers", "100", "--slow-factor", "2.5", "--failure-rate", "0.5", "--cost", "spin",
            "--task-micros", "10", "--repetitions", "1000", "--seed", "-7", "--out", "/tmp/r",
            "--policies", "work-stealing,static,work-stealing");
        assertEquals(100, o.workers());
        assertEquals(1_000_000, o.tasks());
        assertTrue(o.skew().isUniform());
        assertEquals(100, o.slowWorkers());
        assertEquals(2.5, o.slowFactor());
        assertEquals(0.5, o.failureRate());
        assertEquals(CostModel.SPIN, o.cost());
        assertEquals(10, o.taskMicros());
        assertEquals(1000, o.repetitions());
        assertEquals(-7L, o.seed());
        assertEquals(Path.of("/tmp/r"), o.out());
        assertEquals(List.of(Contender.WORK_STEALING, Contender.STATIC), o.policies());
    }

    @Test
    void toArgsReproducesTheOptions() {
        final CompareSchedulingOptions o = CompareSchedulingOptions.parse("--workers", "3", "--skew", "zipf:2", "--slow-factor", "1.5");
        final CompareSchedulingOptions again = CompareSchedulingOptions.parse(o.toArgs().toArray(new String[0]));
        assertEquals(o.toString(), again.toString());
        assertTrue(o.toString().contains("--skew zipf:2 "), o.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--workers|0|--workers: '0'; accepted: an integer in 1..1024",
        "--workers|1025|--workers: '1025'; accepted: an integer in 1..1024",
        "--workers|eight|--workers: 'eight'; accepted: an integer in 1..1024",
        "--tasks|1000001|--tasks: '1000001'; accepted: an integer in 1..1000000",
        "--skew|zipf:0|--skew: 'zipf:0'; accepted: uniform or zipf:<s> with 0 < s <= 4",
        "--skew|zipf:4.5|--skew: 'zipf:4.5'; accepted: uniform or zipf:<s> with 0 < s <= 4",
        "--skew|normal|--skew: 'normal'; accepted: uniform or zipf:<s> with 0 < s <= 4",
        "--slow-factor|0.5|--slow-factor: '0.5'; accepted: a number in 1..100",
        "--failure-rate|0.6|--failure-rate: '0.6'; accepted: a number in 0..0.5",
        "--cost|nap|--cost: 'nap'; accepted: sleep, spin",
        "--task-micros|9|--task-micros: '9'; accepted: an integer in 10..1000000",
        "--repetitions|0|--repetitions: '0'; accepted: an integer in 1..1000",
        "--seed|x|--seed: 'x'; accepted: a 64-bit integer",
        "--policies|static,lifo|--policies: 'static,lifo'; accepted: a comma-separated list of static, central-queue,"
            + " work-stealing, work-stealing-speculation, fork-join, work-stealing-no-split,"
            + " work-stealing-speculation-no-split, work-stealing-balance, work-stealing-slack-1us",
    })
    void badValueGivesOneLineNamingOptionAndRangeAndExitCodeTwo(final String option, final String value,
                                                               final String expected) {
        assertEquals(2, execute(option, value));
        assertEquals("compare-scheduling: invalid value for " + expected + System.lineSeparator(), err.toString());
        assertEquals(null, ran.get(), "the job does not run");
    }

    @Test
    void slowWorkersAreCheckedAgainstWorkers() {
        assertEquals(2, execute("--workers", "4", "--slow-workers", "5"));
        assertEquals("compare-scheduling: invalid value for --slow-workers: '5'; accepted: an integer in 0..workers (workers=4)"
            + System.lineSeparator(), err.toString());
        assertEquals(0, execute("--workers", "4", "--slow-workers", "4"));
    }

    @Test
    void unknownOptionAndMissingValueAreOneLineErrorsToo() {
        assertEquals(2, execute("--nope"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("compare-scheduling: Unknown option: '--nope'"), err.toString());
        final StringWriter err2 = new StringWriter();
        assertEquals(2, CompareSchedulingOptions.execute(new String[] {"--workers"}, new PrintWriter(out),
            new PrintWriter(err2), o -> 0));
        assertEquals(1, err2.toString().lines().count(), err2.toString());
        assertTrue(err2.toString().contains("--workers"), err2.toString());
    }

    @Test
    void helpPrintsUsageWithRangesAndDefaultsToStdout() {
        assertEquals(0, execute("--help"));
        final String help = out.toString();
        assertTrue(help.startsWith("Usage: compare-scheduling"), help);
        for (final String option : List.of("--workers", "--tasks", "--skew", "--slow-workers", "--slow-factor",
            "--failure-rate", "--cost", "--task-micros", "--repetitions", "--seed", "--out", "--policies", "--full",
            "--no-granularity", "--help")) {
            assertTrue(help.contains(option), option + " in " + help);
        }
        assertTrue(help.contains("1..1024 (default: 8)"), help);
        assertEquals(null, ran.get());
        assertEquals(help, CompareSchedulingOptions.usage());
    }

    @Test
    void parseThrowsTheSameOneLineMessage() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CompareSchedulingOptions.parse("--workers", "0"));
        assertEquals("compare-scheduling: invalid value for --workers: '0'; accepted: an integer in 1..1024", ex.getMessage());
    }

    @Test
    void workloadFollowsTheOptions() {
        final CompareSchedulingOptions o = CompareSchedulingOptions.parse("--workers", "4", "--tasks", "50",
            "--skew", "uniform", "--task-micros", "100", "--slow-workers", "2", "--slow-factor", "3");
        final var workload = o.workload();
        assertEquals(50, workload.tasks());
        assertEquals(4, workload.workers());
        assertEquals(50 * 100_000L, workload.totalTaskNanos());
    }
}
