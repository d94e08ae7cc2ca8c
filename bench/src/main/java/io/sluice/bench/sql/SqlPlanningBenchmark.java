package io.sluice.bench.sql;

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

import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.sql.SqlSession;

/**
 * Planning time of {@link SqlSession#sql} (parse, validate, relational algebra, rewrite rules, translation onto
 * Dataset operators; nothing runs): {@code warm} is the steady state; {@code cold} is the first query of a fresh JVM
 * (one shot per fork, so it includes loading and initialising Calcite's classes).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SqlPlanningBenchmark {
    @Param({"filter", "groupBy", "joinAgg", "wide"})
    public String query;

    private ExecutionContext ctx;
    private SqlSession session;
    private String sql;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-sql-plan", SchedulingPolicy.WORK_STEALING, 2).build());
        session = SqlSession.on(ctx).register("facts", SqlTables.facts(ctx, 1000, 2)).register("dims", SqlTables.dims(ctx, 1));
        sql = queryText();
    }

    /** The SQL text of {@link #query}. */
    String queryText() {
        switch (query) {
            case "filter":
                return "SELECT id, v * 2 AS w FROM facts WHERE k < 100 AND v BETWEEN 10 AND 20";
            case "groupBy":
                return SqlVsDuckDbBenchmark.GROUP_BY + " HAVING COUNT(*) > 1";
            case "joinAgg":
                return SqlVsDuckDbBenchmark.JOIN_AGG;
            default:
                return "SELECT d.g, COUNT(DISTINCT f.v), SUM(CASE WHEN f.v % 2 = 0 THEN f.v ELSE 0 END), AVG(f.v) FROM facts f "
                    + "LEFT JOIN dims d ON f.k = d.k AND d.g IN (1, 2, 3) WHERE f.id > 5 GROUP BY d.g ORDER BY d.g LIMIT 10";
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public Dataset warm() {
        return session.sql(sql);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public Dataset cold() {
        return session.sql(sql);
    }
}
