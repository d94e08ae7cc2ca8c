package io.sluice.bench.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.sluice.bench.report.RunLoad;

/**
 * {@link SqlVsDuckDbBenchmark}'s six variants measured by the process CPU time each query costs (all threads: Sluice's
 * workers, DuckDB's native threads, GC and JIT), beside wall time: on a machine shared with other work a process gets
 * a varying share of the cores, which moves wall time far more than CPU time. One warm-up call per variant, then
 * {@code rounds} rounds that run every variant once, interleaved so that load changes hit all alike; the median of
 * each is printed with the ratios to the DSL pipeline and to DuckDB.
 *
 * <pre>java @sluice.jvmopts -Xmx3g -XX:MaxDirectMemorySize=4g -cp bench/target/benchmarks.jar \
 *     io.sluice.bench.sql.SqlVsDuckDbCpu [rows (10000000)] [rounds (3)]</pre>
 */
public final class SqlVsDuckDbCpu {
    private SqlVsDuckDbCpu() {
    }

    public static void main(final String[] args) throws Exception {
        final long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final SqlVsDuckDbBenchmark b = new SqlVsDuckDbBenchmark();
        b.rows = rows;
        b.setUp();
        try {
            final Map<String, Callable<Object>> variants = new LinkedHashMap<>();
            variants.put("groupByCountDsl", b::groupByCountDsl);
            variants.put("groupByCountSql", b::groupByCountSql);
            variants.put("groupByCountDuckdb", b::groupByCountDuckdb);
            variants.put("joinAggDsl", b::joinAggDsl);
            variants.put("joinAggSql", b::joinAggSql);
            variants.put("joinAggDuckdb", b::joinAggDuckdb);
            final RunLoad load = RunLoad.start();
            final Map<String, List<long[]>> samples = measure(variants, rounds);
            final RunLoad.Measured m = load.stop();
            print(rows, samples);
            System.out.printf(Locale.ROOT, "load average %.2f -> %.2f; process CPU %.1f s in %.1f s wall (%d cores)%n",
                m.loadBefore(), m.loadAfter(), m.cpuNanos() / 1e9, m.wallNanos() / 1e9, m.cores());
        } finally {
            b.tearDown();
        }
    }

    /** Per variant, {@code rounds} samples of {cpu nanos, wall nanos}, after one warm-up call each. */
    private static Map<String, List<long[]>> measure(final Map<String, Callable<Object>> variants, final int rounds)
        throws Exception {
        final Map<String, List<long[]>> samples = new LinkedHashMap<>();
        for (final Map.Entry<String, Callable<Object>> v : variants.entrySet()) {
            v.getValue().call();
            samples.put(v.getKey(), new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (final Map.Entry<String, Callable<Object>> v : variants.entrySet()) {
                final long cpu = RunLoad.processCpuNanos();
                final long wall = System.nanoTime();
                v.getValue().call();
                samples.get(v.getKey()).add(new long[] {RunLoad.processCpuNanos() - cpu, System.nanoTime() - wall});
            }
        }
        return samples;
    }

    private static double median(final List<long[]> samples, final int field) {
        final double[] v = samples.stream().mapToDouble(s -> s[field] / 1e6).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void print(final long rows, final Map<String, List<long[]>> samples) {
        System.out.printf(Locale.ROOT, "rows=%d%n%-20s %12s %12s %10s %12s%n", rows, "variant", "cpu ms (med)",
            "wall ms (med)", "cpu / DSL", "cpu / DuckDB");
        for (final Map.Entry<String, List<long[]>> e : samples.entrySet()) {
            final String family = e.getKey().startsWith("groupBy") ? "groupByCount" : "joinAgg";
            final double cpu = median(e.getValue(), 0);
            System.out.printf(Locale.ROOT, "%-20s %12.0f %12.0f %10.2f %12.1f%n", e.getKey(), cpu, median(e.getValue(), 1),
                cpu / median(samples.get(family + "Dsl"), 0), cpu / median(samples.get(family + "Duckdb"), 0));
        }
    }
}
