package io.sluice.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;

/**
 * Random queries ({@link QueryGenerator}) over random tables ({@link RandomTables}) give the same rows on Sluice as on
 * DuckDB: as multisets, in order where the query orders. The queries rotate over the three scheduling policies.
 * {@code -Dsluice.sql.diffQueries=N} runs more, {@code -Dsluice.sql.diffSeed=S} another seed; the {@code sql-fuzz}
 * profile runs 5000 ({@code ./mvnw -B -pl sql -am verify -Psql-fuzz}). A mismatch prints the seed, the query in both
 * dialects and both results.
 */
class DuckDbDifferentialTest {
    private static final int QUERIES = Integer.getInteger("sluice.sql.diffQueries", 500);
    private static final long SEED = Long.getLong("sluice.sql.diffSeed", 20_261_130L);
    private static final int QUERIES_PER_TABLES = 20;

    static SchedulerConfig config(final SchedulingPolicy policy, final FaultInjection faults) {
        return SchedulerConfig.builder().name("sql-" + policy).workers(2).policy(policy).faults(faults).maxAttempts(8)
            .speculation(false).build();
    }

    @Test
    void randomQueriesMatchDuckDb() throws SQLException {
        final List<String> mismatches = new ArrayList<>();
        int duckRejected = 0;
        try (BufferAllocator allocator = new BufferAllocator();
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            final Map<SchedulingPolicy, ExecutionContext> contexts = new EnumMap<>(SchedulingPolicy.class);
            try {
                for (final SchedulingPolicy p : SchedulingPolicy.values()) {
                    contexts.put(p, ExecutionContext.create(config(p, FaultInjection.none()), allocator, 3));
                }
                final SchedulingPolicy[] policies = SchedulingPolicy.values();
                final Map<SchedulingPolicy, SqlSession> sessions = new EnumMap<>(SchedulingPolicy.class);
                for (int i = 0; i < QUERIES; i++) {
                    if (i % QUERIES_PER_TABLES == 0) {
                        final RandomTables tables = new RandomTables(SEED + i);
                        tables.load(duck);
                        for (final SchedulingPolicy p : policies) {
                            final SqlSession s = SqlSession.on(contexts.get(p));
                            tables.register(s, i);
                            sessions.put(p, s);
                        }
                    }
                    final long querySeed = SEED * 1_000_003L + i;
                    final QueryGenerator.Query q = new QueryGenerator(querySeed).next();
                    final List<Object[]> expected;
                    try {
                        expected = SqlResults.duck(duck, q.duck);
                    } catch (final SQLException ex) {
                        duckRejected++;
                        continue;
                    }
                    final SchedulingPolicy policy = policies[i % policies.length];
                    final String where = "seed=" + querySeed + " tables=" + (SEED + i - i % QUERIES_PER_TABLES) + " policy="
                        + policy + "\n  sluice: " + q.sluice + "\n  duckdb: " + q.duck;
                    try {
                        final List<String> got = SqlResults.rows(sessions.get(policy).sql(q.sluice).collect(), q.ordered);
                        final List<String> want = SqlResults.rows(expected, q.ordered);
                        if (!got.equals(want)) {
                            mismatches.add(where + "\n  sluice rows: " + got + "\n  duckdb rows: " + want);
                        }
                    } catch (final RuntimeException ex) {
                        mismatches.add(where + "\n  sluice threw: " + ex);
                    }
                }
            } finally {
                contexts.values().forEach(ExecutionContext::close);
            }
            assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
        }
        System.out.println(QUERIES + " queries, seed=" + SEED + ": " + (QUERIES - duckRejected) + " compared, " + duckRejected
            + " rejected by DuckDB, " + mismatches.size() + " mismatches");
        if (!mismatches.isEmpty()) {
            System.out.println(mismatches.size() + " mismatches of " + QUERIES + " queries:\n" + String.join("\n\n", mismatches));
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + QUERIES + " queries differ; first:\n"
            + (mismatches.isEmpty() ? "" : mismatches.get(0)));
        assertTrue(duckRejected < QUERIES / 20, "DuckDB rejected " + duckRejected + " of " + QUERIES + " generated queries");
    }
}
