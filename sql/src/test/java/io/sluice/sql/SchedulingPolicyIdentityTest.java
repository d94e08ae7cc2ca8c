package io.sluice.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;

/**
 * The same random queries give identical rows (in the same order where the query orders) under STATIC, CENTRAL_QUEUE
 * and WORK_STEALING, and under work stealing with 20% of task attempts failing (each retried elsewhere).
 */
class SchedulingPolicyIdentityTest {
    private static final int QUERIES = 150;

    @Test
    void resultsIdenticalAcrossPoliciesAndInjectedFailures() {
        try (BufferAllocator allocator = new BufferAllocator()) {
            final List<ExecutionContext> contexts = new ArrayList<>();
            try {
                for (final SchedulingPolicy p : SchedulingPolicy.values()) {
                    contexts.add(ExecutionContext.create(DuckDbDifferentialTest.config(p, FaultInjection.none()), allocator, 4));
                }
                contexts.add(ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.WORK_STEALING,
                    FaultInjection.none().withSeed(99).failAttempts(0.2)), allocator, 4));
                final List<SqlSession> sessions = new ArrayList<>();
                for (int i = 0; i < QUERIES; i++) {
                    if (i % 25 == 0) {
                        final RandomTables tables = new RandomTables(7_000 + i);
                        sessions.clear();
                        for (int c = 0; c < contexts.size(); c++) {
                            final SqlSession s = SqlSession.on(contexts.get(c));
                            // Different partitionings too: the result must not depend on them.
                            tables.register(s, 31 * i + c);
                            sessions.add(s);
                        }
                    }
                    final QueryGenerator.Query q = new QueryGenerator(5_000 + i).next();
                    final List<String> first = SqlResults.rows(sessions.get(0).sql(q.sluice).collect(), q.ordered);
                    for (int c = 1; c < sessions.size(); c++) {
                        assertEquals(first, SqlResults.rows(sessions.get(c).sql(q.sluice).collect(), q.ordered),
                            "query seed=" + (5_000 + i) + " context " + c + ": " + q.sluice);
                    }
                }
            } finally {
                contexts.forEach(ExecutionContext::close);
            }
            assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
        }
    }
}
