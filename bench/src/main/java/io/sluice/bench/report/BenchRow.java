package io.sluice.bench.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One JMH result as the summary needs it: the benchmark class and method, mode, {@code @Param} values, and the
 * primary score with its error (NaN when JMH could not compute one) and unit.
 */
public record BenchRow(String benchmarkClass, String method, String mode, Map<String, String> params, double score,
                       double error, String unit) {
    public BenchRow {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** The row of a finished JMH run. */
    public static BenchRow from(final RunResult result) {
        final BenchmarkParams benchmarkParams = result.getParams();
        final String benchmark = benchmarkParams.getBenchmark();
        final int dot = benchmark.lastIndexOf('.');
        final Map<String, String> params = new TreeMap<>();
        for (final String key : benchmarkParams.getParamsKeys()) {
            params.put(key, benchmarkParams.getParam(key));
        }
        final Result<?> primary = result.getPrimaryResult();
        return new BenchRow(benchmark.substring(0, dot), benchmark.substring(dot + 1), benchmarkParams.getMode().shortLabel(),
            params, primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
    }

    /** The class name without its package. */
    public String simpleClassName() {
        return benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1);
    }

    /** {@code method} followed by the params, e.g. {@code scan size=1024}: a label for plots. */
    public String label() {
        final StringBuilder label = new StringBuilder(method);
        params.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
        return label.toString();
    }
}
