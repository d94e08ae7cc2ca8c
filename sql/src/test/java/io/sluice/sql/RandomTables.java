package io.sluice.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The random tables of the differential tests: t1(a INT, b BIGINT, s VARCHAR, x DOUBLE, f BOOLEAN),
 * t2(a INT, c BIGINT, s VARCHAR, y DOUBLE) and the empty e (t1's columns). About 15% nulls per column, skewed keys
 * (half the keys are 0), non-ASCII strings, doubles on a quarter grid (so sums are exact); sometimes t1 or t2 is
 * empty too. Deterministic for a seed.
 */
final class RandomTables {
    static final Schema T1 = Schema.of(Field.nullable("a", ColumnType.INT32), Field.nullable("b", ColumnType.INT64),
        Field.nullable("s", ColumnType.UTF8), Field.nullable("x", ColumnType.FLOAT64), Field.nullable("f", ColumnType.BOOLEAN));
    static final Schema T2 = Schema.of(Field.nullable("a", ColumnType.INT32), Field.nullable("c", ColumnType.INT64),
        Field.nullable("s", ColumnType.UTF8), Field.nullable("y", ColumnType.FLOAT64));
    private static final String[] WORDS = {"a", "b", "ab", "é", "日本", "aé", "", "xyz", "Ab", "bé", "ça", "naïve"};

    final List<Object[]> t1;
    final List<Object[]> t2;
    private final Random random;

    RandomTables(final long seed) {
        random = new Random(seed);
        t1 = rows(random.nextInt(8) == 0 ? 0 : random.nextInt(60), true);
        t2 = rows(random.nextInt(8) == 0 ? 0 : random.nextInt(40), false);
    }

    private Object nullOr(final Object v) {
        return random.nextInt(100) < 15 ? null : v;
    }

    private int key() {
        return random.nextBoolean() ? 0 : random.nextInt(9) - 3;
    }

    private List<Object[]> rows(final int n, final boolean first) {
        final List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final Object a = nullOr(key());
            final Object b = nullOr((long) key());
            final Object s = nullOr(WORDS[random.nextInt(WORDS.length)]);
            final Object x = nullOr((random.nextInt(81) - 40) / 4.0);
            out.add(first ? new Object[] {a, b, s, x, nullOr(random.nextBoolean())} : new Object[] {a, b, s, x});
        }
        return out;
    }

    /** Registers t1, t2 and e on {@code session} with {@code 1 + random} partitions each. */
    void register(final SqlSession session, final int partitionSeed) {
        final ExecutionContext ctx = session.context();
        final Random p = new Random(partitionSeed);
        session.register("t1", ctx.fromRows(T1, t1, 1 + p.nextInt(4)));
        session.register("t2", ctx.fromRows(T2, t2, 1 + p.nextInt(4)));
        session.register("e", ctx.fromRows(T1, List.of(), 1 + p.nextInt(2)));
    }

    /** (Re)creates t1, t2 and e in DuckDB. */
    void load(final Connection duck) throws SQLException {
        try (Statement st = duck.createStatement()) {
            st.execute("DROP TABLE IF EXISTS t1");
            st.execute("DROP TABLE IF EXISTS t2");
            st.execute("DROP TABLE IF EXISTS e");
            st.execute("CREATE TABLE t1 (a INTEGER, b BIGINT, s VARCHAR, x DOUBLE, f BOOLEAN)");
            st.execute("CREATE TABLE t2 (a INTEGER, c BIGINT, s VARCHAR, y DOUBLE)");
            st.execute("CREATE TABLE e (a INTEGER, b BIGINT, s VARCHAR, x DOUBLE, f BOOLEAN)");
        }
        insert(duck, "INSERT INTO t1 VALUES (?, ?, ?, ?, ?)", t1);
        insert(duck, "INSERT INTO t2 VALUES (?, ?, ?, ?)", t2);
    }

    private static void insert(final Connection duck, final String sql, final List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = duck.prepareStatement(sql)) {
            for (final Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            if (!rows.isEmpty()) {
                ps.executeBatch();
            }
        }
    }
}
