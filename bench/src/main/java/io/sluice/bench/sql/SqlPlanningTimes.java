package io.sluice.bench.sql;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.sql.SqlSession;

/**
 * Planning time of {@link SqlSession#sql} as the planning thread's CPU time as well as wall time, so a figure taken on
 * a loaded machine still says what planning costs: the first query of this JVM (cold: includes loading Calcite), then
 * the median over {@code 1000} plans of each benchmark query after {@code 300} warm-up plans. One line per figure.
 * Run it in a fresh JVM per cold measurement ({@code java -cp benchmarks.jar io.sluice.bench.sql.SqlPlanningTimes}).
 */
public final class SqlPlanningTimes {
    private static final int WARMUP = 300;
    private static final int RUNS = 1000;

    private SqlPlanningTimes() {
    }

    public static void main(final String[] args) {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<String, String> queries = new LinkedHashMap<>();
        for (final String name : new String[] {"filter", "groupBy", "joinAgg", "wide"}) {
            final SqlPlanningBenchmark b = new SqlPlanningBenchmark();
            b.query = name;
            queries.put(name, b.queryText());
        }
        try (ExecutionContext ctx = ExecutionContext.create(BenchSchedulers.quickWake("sql-plan-times",
            SchedulingPolicy.WORK_STEALING, 2).build())) {
            final SqlSession session = SqlSession.on(ctx).register("facts", SqlTables.facts(ctx, 1000, 2))
                .register("dims", SqlTables.dims(ctx, 1));
            final int classesBefore = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
            final long wall0 = System.nanoTime();
            final long cpu0 = threads.getCurrentThreadCpuTime();
            session.sql(queries.get("wide"));
            final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            final long wall = System.nanoTime() - wall0;
            final int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() - classesBefore;
            System.out.printf(Locale.ROOT, "cold wide: wall %.1f ms, cpu %.1f ms, classes loaded %d%n", wall / 1e6, cpu / 1e6,
                classes);
            for (final Map.Entry<String, String> q : queries.entrySet()) {
                for (int i = 0; i < WARMUP; i++) {
                    session.sql(q.getValue());
                }
                final long[] walls = new long[RUNS];
                final long[] cpus = new long[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    final long w = System.nanoTime();
                    final long c = threads.getCurrentThreadCpuTime();
                    session.sql(q.getValue());
                    cpus[i] = threads.getCurrentThreadCpuTime() - c;
                    walls[i] = System.nanoTime() - w;
                }
                Arrays.sort(walls);
                Arrays.sort(cpus);
                System.out.printf(Locale.ROOT, "warm %s: median wall %.3f ms, median cpu %.3f ms, p90 cpu %.3f ms%n", q.getKey(),
                    walls[RUNS / 2] / 1e6, cpus[RUNS / 2] / 1e6, cpus[RUNS * 9 / 10] / 1e6);
            }
        }
    }
}
