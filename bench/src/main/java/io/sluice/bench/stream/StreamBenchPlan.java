package io.sluice.bench.stream;

import java.time.Duration;
import java.util.List;

/**
 * The durations and rates of a {@code scripts/stream-bench} run: {@link #fullPlan()} (about 10 minutes on 2 cores) or
 * {@link #quickPlan()} (about 2 minutes: checks that everything runs; its figures are indicative only).
 *
 * @param quick               whether this is the quick plan
 * @param intervalsMillis     latency benchmark batch intervals
 * @param latencyRates        latency benchmark input rates, stepped up until one is not sustainable
 * @param latencyWarmup       warm-up per latency point
 * @param latencyMeasure      measured window per latency point
 * @param throughputInterval  batch interval of the throughput search
 * @param throughputStart     first rate of the throughput search
 * @param throughputStep      factor between rates of the throughput search
 * @param throughputMax       highest rate tried
 * @param throughputWarmup    warm-up per throughput step
 * @param throughputMeasure   measured window per throughput step
 * @param baselineWarmup      warm-up of each plain-Java baseline
 * @param baselineMeasure     measured time of each plain-Java baseline
 * @param straggler           the straggler experiment's parameters
 * @param stragglerWarmup     warm-up per straggler run
 * @param stragglerMeasure    measured window per straggler run
 */
public record StreamBenchPlan(boolean quick, List<Long> intervalsMillis, List<Double> latencyRates, Duration latencyWarmup,
                              Duration latencyMeasure, long throughputInterval, double throughputStart, double throughputStep,
                              double throughputMax, Duration throughputWarmup, Duration throughputMeasure,
                              Duration baselineWarmup, Duration baselineMeasure, StragglerBench.Settings straggler,
                              Duration stragglerWarmup, Duration stragglerMeasure) {
    /** Lines in the text pool the throughput and straggler inputs cycle through. */
    public static final int TEXT_LINES = 1 << 16;
    /** Seed of the text lines. */
    public static final long TEXT_SEED = 42;
    /** Zipf rank of the word grep looks for (as in TextJobsBenchmark). */
    public static final int GREP_RANK = 40;
    /** The straggler experiment: 500 ms batches of 10,000 lines, 80 us of sleep per line, one worker 5x slower. */
    static final StragglerBench.Settings STRAGGLER = new StragglerBench.Settings(500, 20_000, 80_000, 5.0,
        StragglerBench.DEFAULT_TASKS_PER_WORKER);

    private static final List<Long> INTERVALS = List.of(1L, 10L, 100L);

    /** The default plan. */
    public static StreamBenchPlan fullPlan() {
        return new StreamBenchPlan(false, INTERVALS,
            List.of(10e3, 50e3, 100e3, 250e3, 500e3, 1e6, 1.5e6, 2e6, 3e6, 4e6, 6e6), Duration.ofMillis(1500), Duration.ofSeconds(5),
            100, 50e3, 1.5, 8e6, Duration.ofMillis(1500), Duration.ofSeconds(4),
            Duration.ofSeconds(1), Duration.ofSeconds(3), STRAGGLER, Duration.ofMillis(1500), Duration.ofMillis(7500));
    }

    /** The quick plan. */
    public static StreamBenchPlan quickPlan() {
        return new StreamBenchPlan(true, INTERVALS,
            List.of(10e3, 250e3, 1e6, 2e6), Duration.ofMillis(700), Duration.ofMillis(1500),
            100, 50e3, 2.0, 8e6, Duration.ofMillis(700), Duration.ofMillis(1500),
            Duration.ofMillis(300), Duration.ofMillis(700), STRAGGLER, Duration.ofMillis(1000), Duration.ofMillis(2500));
    }

    /** This plan with {@code settings} for the straggler experiment. */
    public StreamBenchPlan withStraggler(final StragglerBench.Settings settings) {
        return new StreamBenchPlan(quick, intervalsMillis, latencyRates, latencyWarmup, latencyMeasure, throughputInterval,
            throughputStart, throughputStep, throughputMax, throughputWarmup, throughputMeasure, baselineWarmup,
            baselineMeasure, settings, stragglerWarmup, stragglerMeasure);
    }
}
