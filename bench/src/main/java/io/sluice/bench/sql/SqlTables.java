package io.sluice.bench.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.engine.dataset.CachedDataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The benchmark tables, identical in Sluice and DuckDB: {@code facts(id BIGINT, k BIGINT, v BIGINT)} with
 * {@code k = id * 2654435761 mod KEYS} (every key about equally often) and {@code v = id mod 1000}, and
 * {@code dims(k BIGINT, g BIGINT)} with one row per key and {@code g = k mod 100}.
 */
final class SqlTables {
    static final long KEYS = 100_000;
    static final Schema FACTS = Schema.of(Field.notNull("id", ColumnType.INT64), Field.notNull("k", ColumnType.INT64),
        Field.notNull("v", ColumnType.INT64));
    static final Schema DIMS = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("g", ColumnType.INT64));

    private SqlTables() {
    }

    /** {@code rows} fact rows in {@code partitions} cached partitions. */
    static CachedDataset facts(final ExecutionContext ctx, final long rows, final int partitions) {
        return ctx.generate(FACTS, partitions, (p, b) -> {
            final long from = rows * p / partitions;
            final long to = rows * (p + 1) / partitions;
            for (long id = from; id < to; id++) {
                b.setInt64(0, id).setInt64(1, id * 2654435761L % KEYS).setInt64(2, id % 1000).endRow();
            }
        }).cache().materialize();
    }

    static CachedDataset dims(final ExecutionContext ctx, final int partitions) {
        return ctx.generate(DIMS, partitions, (p, b) -> {
            for (long k = KEYS * p / partitions; k < KEYS * (p + 1) / partitions; k++) {
                b.setInt64(0, k).setInt64(1, k % 100).endRow();
            }
        }).cache().materialize();
    }

    /** The same two tables in DuckDB, which runs on {@code threads} threads. */
    static void load(final Connection duck, final long rows, final int threads) throws SQLException {
        try (Statement st = duck.createStatement()) {
            st.execute("SET threads = " + threads);
            st.execute("CREATE OR REPLACE TABLE facts AS SELECT range AS id, range * 2654435761 % " + KEYS
                + " AS k, range % 1000 AS v FROM range(" + rows + ")");
            st.execute("CREATE OR REPLACE TABLE dims AS SELECT range AS k, range % 100 AS g FROM range(" + KEYS + ")");
        }
    }
}
