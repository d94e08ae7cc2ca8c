package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The queries with a SQL form give, through {@code SqlSession} per micro-batch, the same rows as their DStream
 * definitions (which {@link CrossCheckTest} checks against Flink); the others say they have none.
 */
class SqlPathTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(30_000);

    @ParameterizedTest
    @EnumSource(value = NexmarkQuery.class, names = {"Q0", "Q1", "Q2", "Q11"})
    void sqlEqualsDsl(final NexmarkQuery query) throws Exception {
        assertNotNull(query.sql(), query + " has a SQL form");
        final RunResult dsl = new SluiceRunner(2, 7_000).run(query, CONFIG, true);
        final RunResult sql = new SluiceRunner(2, 7_000, true).run(query, CONFIG, true);
        assertTrue(sql.rows().size() > 0, "query " + query + " produced no rows");
        assertEquals("sluice-sql", sql.engine());
        assertEquals(sorted(dsl.rows()), sorted(sql.rows()), "rows of " + query);
        assertEquals(dsl.digest().sum(), sql.digest().sum(), "digest of " + query);
    }

    @ParameterizedTest
    @EnumSource(value = NexmarkQuery.class, mode = EnumSource.Mode.EXCLUDE, names = {"Q0", "Q1", "Q2", "Q11"})
    void queriesWithoutSqlFormSaySo(final NexmarkQuery query) {
        assertEquals(null, query.sql());
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
            () -> new SluiceRunner(2, 7_000, true).run(query, CONFIG, false));
        assertTrue(ex.getMessage().contains(query.label()), ex.getMessage());
    }

    private static List<String> sorted(final List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
