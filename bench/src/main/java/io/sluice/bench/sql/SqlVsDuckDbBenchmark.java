package io.sluice.bench.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.CachedDataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.sql.SqlSession;

/**
 * Group-by-count and join + aggregate over {@link #rows} fact rows ({@link SqlTables}): the query through
 * {@link SqlSession} (planning included), the same Dataset pipeline written by hand (the baseline of each family), and
 * DuckDB in the same JVM, with 2 workers / 2 DuckDB threads. Every variant materializes its whole result on the heap
 * (Sluice {@code collect()}, DuckDB a JDBC result set read to the end). Default bounds checks stay on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:MaxDirectMemorySize=4g"})
public class SqlVsDuckDbBenchmark {
    static final String GROUP_BY = "SELECT k, COUNT(*) AS n FROM facts GROUP BY k";
    static final String JOIN_AGG = "SELECT d.g, SUM(f.v) AS s FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.g";

    @Param({"1000000"})
    public long rows;

    private ExecutionContext ctx;
    private CachedDataset facts;
    private CachedDataset dims;
    private SqlSession session;
    private Connection duck;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-sql", SchedulingPolicy.WORK_STEALING, 2).build());
        facts = SqlTables.facts(ctx, rows, 16);
        dims = SqlTables.dims(ctx, 4);
        session = SqlSession.on(ctx).register("facts", facts).register("dims", dims);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        SqlTables.load(duck, rows, 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        duck.close();
        ctx.close();
    }

    @Benchmark
    @Baseline
    public List<Object[]> groupByCountDsl() {
        return facts.groupBy("k").agg(Agg.count().as("n")).collect();
    }

    @Benchmark
    public List<Object[]> groupByCountSql() {
        return session.sql(GROUP_BY).collect();
    }

    @Benchmark
    public long groupByCountDuckdb() throws SQLException {
        return drain(GROUP_BY);
    }

    @Benchmark
    @Baseline
    public List<Object[]> joinAggDsl() {
        return facts.select("k", "v").join(dims, "k", JoinType.INNER).groupBy("g").agg(Agg.sum("v").as("s")).collect();
    }

    @Benchmark
    public List<Object[]> joinAggSql() {
        return session.sql(JOIN_AGG).collect();
    }

    @Benchmark
    public long joinAggDuckdb() throws SQLException {
        return drain(JOIN_AGG);
    }

    private long drain(final String query) throws SQLException {
        long sum = 0;
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                sum += rs.getLong(1) + rs.getLong(2);
            }
        }
        return sum;
    }
}
