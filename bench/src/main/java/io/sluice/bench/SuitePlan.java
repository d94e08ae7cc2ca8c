package io.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How long each benchmark of a {@code scripts/bench} run is measured: forks, warmup and measurement iterations and
 * the time of one iteration, applied as JMH options to every benchmark (JMH options win over a benchmark's own
 * annotations). Quick mode is fixed; the full mode takes the most thorough preset whose estimate fits the budget.
 */
public record SuitePlan(String name, int forks, int warmupIterations, int measurementIterations, TimeValue iterationTime) {
    /** The full suite must stay under 30 minutes on 2 cores; keep a margin for reporting and JVM start-up. */
    public static final Duration FULL_BUDGET = Duration.ofMinutes(27);
    /** Assumed start-up and teardown of one forked JVM (JMH setup included); a generous guess for 2 cores. */
    static final Duration FORK_OVERHEAD = Duration.ofMillis(1500);

    /** {@code --quick}: 1 fork, 1 warmup and 2 measurement iterations of 1 s. */
    public static final SuitePlan QUICK = new SuitePlan("quick", 1, 1, 2, TimeValue.seconds(1));

    /** Full-mode presets, most thorough first. */
    static final List<SuitePlan> FULL = List.of(
        new SuitePlan("full", 2, 3, 5, TimeValue.seconds(1)),
        new SuitePlan("full (1 fork to fit the budget)", 1, 3, 5, TimeValue.seconds(1)),
        new SuitePlan("full (shortened to fit the budget)", 1, 2, 4, TimeValue.milliseconds(500)),
        new SuitePlan("full (minimal to fit the budget)", 1, 1, 3, TimeValue.milliseconds(200)));

    /** The plan for {@code runs} benchmark runs (benchmark x mode x param combination). */
    public static SuitePlan choose(final boolean quick, final int runs) {
        if (quick) {
            return QUICK;
        }
        for (final SuitePlan plan : FULL) {
            if (plan.estimate(runs).compareTo(FULL_BUDGET) <= 0) {
                return plan;
            }
        }
        return FULL.get(FULL.size() - 1);
    }

    /** Expected wall time of {@code runs} benchmark runs, assuming time-based modes. */
    public Duration estimate(final int runs) {
        final long iterationMillis = iterationTime.convertTo(TimeUnit.MILLISECONDS);
        final long perFork = (warmupIterations + measurementIterations) * iterationMillis + FORK_OVERHEAD.toMillis();
        return Duration.ofMillis(runs * forks * perFork);
    }

    /** One line for the console and the report. */
    public String describe() {
        return name + ": " + forks + " fork(s), " + warmupIterations + " warmup + " + measurementIterations
            + " measurement iterations of " + iterationTime;
    }
}
