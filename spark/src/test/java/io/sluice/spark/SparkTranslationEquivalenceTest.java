package io.sluice.spark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.spark.SparkRows.multiset;
import static io.sluice.spark.SparkRows.ordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.dataset.PartitionGenerator;
import io.sluice.engine.dataset.SortKey;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.sql.SqlSession;

/**
 * Every translated operator and expression gives on Spark (local[2]) exactly the rows Sluice computes locally, on
 * seeded random rows with nulls, NaN, infinities, -0.0, integer extremes and non-ASCII text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTranslationEquivalenceTest {
    private static final long SEED = 0x5A1C_E5EDL;
    private SparkSession session;
    private SparkBackend spark;
    private ExecutionContext ctx;
    private Dataset table;
    private Dataset other;

    @BeforeAll
    void start() {
        session = SparkTestSupport.session();
        spark = SparkBackend.on(session);
        ctx = ExecutionContext.create(SparkTestSupport.sluiceConfig());
        table = ctx.fromRows(SparkTestSupport.SCHEMA, SparkTestSupport.randomRows(SEED, 300), 4);
        other = ctx.fromRows(SparkTestSupport.SCHEMA, SparkTestSupport.randomRows(SEED + 1, 120), 3);
    }

    @AfterAll
    void stop() {
        ctx.close();   // throws if any off-heap byte leaked
    }

    private void assertSameRows(final Dataset dataset) {
        final List<Object[]> local = dataset.collect();
        assertEquals(multiset(local), multiset(spark.run(dataset)), () -> "rows of " + dataset);
    }

    /**
     * As {@link #assertSameRows}, for a group-by or distinct on a FLOAT64 column: both engines put -0.0 and 0.0 in one
     * group, which Spark outputs as 0.0 and Sluice as the first value it saw, so -0.0 counts as 0.0 here.
     */
    private void assertSameGroupsOfDoubles(final Dataset dataset) {
        assertEquals(multiset(zeroes(dataset.collect())), multiset(zeroes(spark.run(dataset))), () -> "rows of " + dataset);
    }

    private static List<Object[]> zeroes(final List<Object[]> rows) {
        for (final Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (row[c] instanceof Double && (Double) row[c] == 0.0) {
                    row[c] = 0.0;
                }
            }
        }
        return rows;
    }

    private void assertSameOrderedRows(final Dataset dataset) {
        final List<Object[]> local = dataset.collect();
        assertFalse(local.isEmpty());
        assertEquals(ordered(local), ordered(spark.run(dataset)), () -> "ordered rows of " + dataset);
    }

    /** Every expression kind, over every operand type it takes; one Spark job, compared column by column. */
    private static List<Expr> expressions() {
        final List<Expr> e = new ArrayList<>();
        final Expr[] nums = {col("i"), col("l"), col("d"), lit(2), lit(0), lit(-1L), lit(0.0)};
        for (final Expr a : new Expr[] {col("i"), col("l"), col("d")}) {
            for (final Expr b : nums) {
                e.add(a.plus(b));
                e.add(a.minus(b));
                e.add(a.times(b));
                e.add(a.div(b));
                e.add(a.mod(b));
                e.add(a.eq(b));
                e.add(a.ne(b));
                e.add(a.lt(b));
                e.add(a.le(b));
                e.add(a.gt(b));
                e.add(a.ge(b));
            }
        }
        e.add(col("d").div(col("d")));
        e.add(col("i").div(col("i")));
        e.add(col("s").lt(col("k")));
        e.add(col("s").eq(lit("Straße")));
        e.add(col("s").ge(lit("a")));
        e.add(col("b").lt(lit(true)));
        e.add(col("b").eq(col("b")));
        e.add(col("b").and(col("i").gt(lit(0))));
        e.add(col("b").or(col("d").lt(lit(0.0))));
        e.add(col("b").not());
        e.add(col("b").and(col("b").not()).or(col("s").isNull()));
        for (final String c : new String[] {"k", "i", "l", "d", "b", "s"}) {
            e.add(col(c).isNull());
            e.add(col(c).isNotNull());
        }
        e.add(Expr.coalesce(col("i"), col("l")));
        e.add(Expr.coalesce(col("i"), lit(7)));
        e.add(Expr.coalesce(col("d"), Expr.nullOf(ColumnType.FLOAT64), lit(-1.5)));
        e.add(Expr.coalesce(col("s"), col("k"), lit("none")));
        e.add(Expr.coalesce(col("b"), lit(false)));
        e.add(lit(42));
        e.add(lit(1L << 40));
        e.add(lit(2.75));
        e.add(lit(true));
        e.add(lit("text"));
        e.add(Expr.nullOf(ColumnType.INT32));
        e.add(Expr.nullOf(ColumnType.UTF8));
        e.add(col("s").length());
        e.add(col("s").lower());
        e.add(col("s").upper());
        e.add(col("s").substring(0, 3));
        e.add(col("s").substring(1, 2));
        e.add(col("s").substring(2, 100));
        e.add(col("s").substring(40, 1));
        e.add(col("s").contains("a"));
        e.add(col("s").contains(""));
        e.add(col("s").startsWith("S"));
        e.add(col("s").lower().contains("sluice"));
        e.add(col("s").upper().length().plus(col("i")));
        e.addAll(sqlExpressions());
        return e;
    }

    /** CASE, CAST (the conversions that succeed on every row), IN and LIKE over every operand type they take. */
    private static List<Expr> sqlExpressions() {
        final List<Expr> e = new ArrayList<>();
        e.add(Expr.caseWhen(List.of(col("i").gt(lit(0)), col("d").lt(lit(0.0))), List.of(col("l"), col("i")), lit(-1)));
        e.add(Expr.caseWhen(List.of(col("b")), List.of(col("d")), col("i")));
        e.add(Expr.caseWhen(List.of(col("s").isNull(), col("k").eq(lit("a"))), List.of(col("k"), lit("A")), col("s")));
        e.add(Expr.caseWhen(List.of(Expr.nullOf(ColumnType.BOOLEAN), col("b").not()), List.of(lit(1), lit(2)),
            Expr.nullOf(ColumnType.INT32)));
        for (final String c : new String[] {"i", "l", "d", "b", "s", "k"}) {
            e.add(col(c).cast(ColumnType.UTF8));
        }
        for (final String c : new String[] {"i", "l", "d", "b"}) {
            e.add(col(c).cast(ColumnType.FLOAT64));
            e.add(col(c).cast(ColumnType.BOOLEAN));
        }
        e.add(col("i").cast(ColumnType.INT64));
        e.add(col("b").cast(ColumnType.INT32));
        e.add(col("b").cast(ColumnType.INT64));
        e.add(col("i").cast(ColumnType.INT64).cast(ColumnType.INT32));
        e.add(col("i").cast(ColumnType.UTF8).cast(ColumnType.INT64));
        e.add(col("l").cast(ColumnType.UTF8).cast(ColumnType.INT64));
        e.add(col("d").cast(ColumnType.UTF8).cast(ColumnType.FLOAT64));
        e.add(col("b").cast(ColumnType.UTF8).upper().cast(ColumnType.BOOLEAN));
        e.add(lit(" 42\t").cast(ColumnType.INT32));
        e.add(lit("+7").cast(ColumnType.INT64));
        e.add(lit(" 1e3 ").cast(ColumnType.FLOAT64));
        e.add(lit("-Infinity").cast(ColumnType.FLOAT64));
        e.add(lit(" TRUE ").cast(ColumnType.BOOLEAN));
        e.add(lit(-2.75).cast(ColumnType.INT64));
        e.add(lit(1e-7).cast(ColumnType.UTF8));
        e.add(col("i").in(List.of(0, 2, 7L, 3.0, 2.5)));
        e.add(col("i").in(java.util.Arrays.asList(-1, null)));
        e.add(col("i").in(List.of(Integer.MAX_VALUE, 1e30)));
        e.add(col("l").in(List.of(Long.MIN_VALUE, 9, 5.0)));
        e.add(col("d").in(List.of(0.0, -1.0, Double.NaN)));
        e.add(col("d").in(List.of(0, 1L, 3.25)));
        e.add(col("d").in(java.util.Arrays.asList(-0.0, null)));
        e.add(col("s").in(List.of("the end", "Straße", "")));
        e.add(col("k").in(java.util.Arrays.asList("a", null)));
        e.add(col("b").in(List.of(true)));
        e.add(col("s").in(List.of()));
        e.add(col("s").like("%the%"));
        e.add(col("s").like("The%"));
        e.add(col("s").like("a_b%"));            // '_' is one code point (a surrogate pair in UTF-16)
        e.add(col("s").like("%"));
        e.add(col("s").like(""));
        e.add(col("s").like("x,y;z"));
        e.add(col("s").like("%e"));
        e.add(col("s").like("Stra_e"));
        e.add(col("s").like("%\\%"));           // a backslash is literal without an escape character
        e.add(col("s").like("%!_%", '!'));
        e.add(col("s").like("x!,y%", '!'));
        e.add(col("s").like("%É%"));
        e.add(col("k").like("_"));
        e.add(col("s").lower().like("%sluice%").and(col("i").in(List.of(1, 2, 3))));
        return e;
    }

    @Test
    void everyExpressionGivesTheSameValues() {
        final List<Expr> exprs = expressions();
        final Expr[] select = new Expr[exprs.size() + 1];
        select[0] = col("id");
        for (int i = 0; i < exprs.size(); i++) {
            select[i + 1] = exprs.get(i).as("e" + i);
        }
        final Dataset projected = table.select(select);
        final List<Object[]> local = projected.collect();
        final List<Object[]> remote = spark.run(projected);
        assertEquals(local.size(), remote.size());
        local.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        remote.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        for (int r = 0; r < local.size(); r++) {
            for (int c = 1; c < select.length; c++) {
                final int row = r;
                final int column = c;
                assertEquals(SparkRows.show(local.get(r)[c]), SparkRows.show(remote.get(r)[c]),
                    () -> exprs.get(column - 1) + " on row id=" + local.get(row)[0]);
            }
        }
    }

    @Test
    void filterSelectAndWithColumnGiveTheSameRows() {
        assertSameRows(table.filter(col("i").gt(lit(0)).or(col("d").isNull())));
        assertSameRows(table.filter(col("b")));
        assertSameRows(table.filter(col("d").le(lit(0.0)).and(col("s").contains(" "))));
        assertSameRows(table.select("s", "id", "k"));
        assertSameRows(table.withColumn("i", col("i").times(lit(3))).withColumn("t", col("s").upper()));
    }

    @Test
    void flatMapSplitsLikeSluice() {
        assertSameRows(table.flatMap(Expr.split(col("s"), " "), "word", "id", "k"));
        assertSameRows(table.flatMap(Expr.split(col("s"), " ,;"), "token"));
        assertSameRows(table.withColumn("s", col("s").lower()).flatMap(Expr.split(col("s"), "a.e"), "part", "s"));
    }

    @Test
    void groupByAggregatesGiveTheSameRows() {
        final Agg[] all = {Agg.count(), Agg.count("d"), Agg.sum("i"), Agg.sum("l"), Agg.sum("d"), Agg.min("i"),
            Agg.max("l"), Agg.min("d"), Agg.max("d"), Agg.avg("i"), Agg.avg("d").as("mean")};
        assertSameRows(table.groupBy("k").agg(all));
        assertSameRows(table.groupBy("k", "b").partitions(3).agg(Agg.count(), Agg.sum("l")));
        assertSameGroupsOfDoubles(table.groupBy("d").agg(Agg.count(), Agg.min("i")));   // -0.0, 0.0, NaN, null keys
        assertSameRows(table.agg(all));
        assertSameRows(table.filter(lit(false)).agg(all));                    // one row even for empty input
        assertSameRows(table.groupBy("k").agg(Agg.min("d"), Agg.max("d")));
        assertSameGroupsOfDoubles(table.groupBy("k").agg(Agg.min("d"), Agg.max("d")).groupBy("min_d").agg(Agg.count()));
    }

    @Test
    void distinctUnionAndRepartitionGiveTheSameRows() {
        assertSameRows(table.select("k", "b").distinct());
        assertSameGroupsOfDoubles(table.select("d").distinct());
        assertSameRows(table.union(other));
        assertSameRows(table.union(other).select("k", "i").distinct());
        assertSameRows(table.repartition(5, "k", "d"));
        assertSameRows(table.cache());
    }

    @Test
    void joinsGiveTheSameRows() {
        final Dataset right = other.select(col("k"), col("i").as("ri"), col("d").as("rd"), col("s").as("rs"));
        assertSameRows(table.join(right, "k", JoinType.INNER));
        assertSameRows(table.join(right, "k", JoinType.LEFT));
        final Dataset byInt = other.select(col("i").as("j"), col("s").as("rs"));
        assertSameRows(table.join(byInt, List.of("i"), List.of("j"), JoinType.INNER));
        assertSameRows(table.join(byInt, List.of("i"), List.of("j"), JoinType.LEFT));
        final Dataset byDouble = other.select(col("d"), col("k").as("rk"), col("id").as("rid"));
        assertSameRows(table.join(byDouble, "d", JoinType.INNER));                      // -0.0 and NaN keys
        final Dataset twoKeys = other.select(col("k"), col("b"), col("l").as("rl"));
        assertSameRows(table.join(twoKeys, List.of("k", "b"), List.of("k", "b"), JoinType.LEFT));
        final Dataset self = table.select(col("k"), col("id").as("id2"));
        assertSameRows(self.join(table.select(col("k"), col("l")), "k", JoinType.INNER).groupBy("k").agg(Agg.count()));
    }

    @Test
    void orderByAndLimitGiveTheSameOrder() {
        assertSameOrderedRows(table.orderBy(SortKey.asc("d"), SortKey.desc("id")));
        assertSameOrderedRows(table.orderBy(SortKey.desc("i"), SortKey.asc("s"), SortKey.asc("id")).limit(25));
        assertSameOrderedRows(table.orderBy(SortKey.asc("k"), SortKey.desc("b"), SortKey.asc("id")).limit(7));
        assertSameOrderedRows(table.groupBy("k").agg(Agg.sum("l")).orderBy(SortKey.asc("k")));
        assertSameOrderedRows(table.filter(col("b")).select("id", "s").limit(9));          // partition order, at the root
        assertSameOrderedRows(table.union(other).limit(310));
    }

    @Test
    void generatedAndFileSourcesRunInSparkTasks(@TempDir final Path dir) {
        final Schema schema = Schema.of(Field.notNull("p", ColumnType.INT32), Field.nullable("v", ColumnType.INT64));
        final PartitionGenerator gen = (PartitionGenerator & Serializable) (p, b) -> {
            for (int r = 0; r < 50 + p; r++) {
                b.setInt32(0, p);
                if (r % 7 == 0) {
                    b.setNull(1);
                } else {
                    b.setInt64(1, (long) r * (p + 1));
                }
                b.endRow();
            }
        };
        final Dataset generated = ctx.generate(schema, 3, gen);
        assertSameRows(generated.groupBy("p").agg(Agg.count(), Agg.sum("v")));
        assertSameOrderedRows(generated.limit(60));
        table.write(dir);
        final Dataset files = ctx.readFiles(dir);
        assertSameRows(files.filter(col("i").ge(lit(0))));
        assertSameOrderedRows(files.select("id", "s").limit(100));
        // Written as Parquet by Spark and read back: the same rows and the Sluice column types.
        final Dataset counts = table.groupBy("k", "d").agg(Agg.count(), Agg.avg("i"));
        final String parquet = dir.resolve("parquet").toString();
        spark.writeParquet(counts, parquet);
        final List<Object[]> back = new ArrayList<>();
        for (final org.apache.spark.sql.Row row : spark.session().read().parquet(parquet).collectAsList()) {
            back.add(SparkTypes.toSluice(row));
        }
        assertEquals(multiset(zeroes(counts.collect())), multiset(zeroes(back)));   // d is a group key: see above
    }

    @Test
    void arrowFilesAreReadInSparkTasks(@TempDir final Path dir) {
        final Path arrow = dir.resolve("arrow");
        table.writeArrow(arrow);
        final Dataset files = ctx.readArrow(arrow);
        assertSameOrderedRows(files);                                             // every row and value, in order
        assertSameRows(files.filter(col("b")).groupBy("k").agg(Agg.count(), Agg.sum("l"), Agg.max("d")));
        assertSameRows(files.join(other.select(col("k"), col("id").as("rid")), "k", JoinType.INNER));
        final Dataset written = ctx.readArrow(arrow).select(col("id"), col("s").upper().as("u"));
        final String parquet = dir.resolve("parquet").toString();
        spark.writeParquet(written, parquet);
        final List<Object[]> back = new ArrayList<>();
        for (final org.apache.spark.sql.Row row : spark.session().read().parquet(parquet).collectAsList()) {
            back.add(SparkTypes.toSluice(row));
        }
        assertEquals(multiset(written.collect()), multiset(back));
    }

    @Test
    void readmeWordCountGivesTheSameRowsOnBothEngines() {
        final List<Object[]> readme = List.of(new Object[] {"The cat and the hat"}, new Object[] {"the end"},
            new Object[] {null});
        final List<Object[]> counts = spark.run(WordCountOnSpark.readmeWordCount(ctx, readme));
        assertEquals(multiset(List.of(new Object[] {"the", 3L}, new Object[] {"cat", 1L}, new Object[] {"and", 1L},
            new Object[] {"hat", 1L}, new Object[] {"end", 1L})), multiset(counts));
        assertSameRows(WordCountOnSpark.readmeWordCount(ctx, WordCountOnSpark.lines(5_000, SEED)));
    }

    @Test
    void sqlQueriesPlannedBySluiceRunOnSpark() {
        final SqlSession sql = SqlSession.on(ctx).register("t", table).register("o", other);
        assertSameRows(sql.sql("SELECT k, COUNT(*) AS n, SUM(l) AS total, AVG(i) AS mean, MAX(d) AS hi FROM t"
            + " WHERE i > 0 OR s IS NULL GROUP BY k HAVING COUNT(*) > 1"));
        assertSameRows(sql.sql("SELECT t.id, o.s, t.l * 2 + o.i AS x FROM t JOIN o ON t.k = o.k WHERE t.b AND o.i < 3"));
        assertSameOrderedRows(sql.sql("SELECT id, UPPER(s) AS u, l - i AS x FROM t WHERE d >= 0 ORDER BY id DESC LIMIT 25"));
    }

    @Test
    void castsThatDoNotConvertFailOnBothEngines() {
        // Sluice's CAST throws on a value that does not convert; Spark's non-ANSI cast would give null or wrap.
        final Dataset text = table.filter(col("s").isNotNull()).select(col("s").cast(ColumnType.INT64).as("n"));
        final Dataset narrow = table.filter(col("l").isNotNull()).select(col("l").cast(ColumnType.INT32).as("n"));
        final Dataset nan = table.filter(col("d").isNotNull()).select(col("d").cast(ColumnType.INT64).as("n"));
        for (final Dataset bad : List.of(text, narrow, nan)) {
            final Exception local = assertThrows(Exception.class, bad::collect);
            assertTrue(causes(local).contains("cannot cast value="), causes(local));
            final Exception remote = assertThrows(Exception.class, () -> spark.run(bad));
            assertTrue(causes(remote).contains("cannot cast value="), causes(remote));
        }
    }

    private static String causes(final Throwable t) {
        final StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" <- ");
        }
        return sb.toString();
    }

    @Test
    void sqlCaseCastInAndLikeRunOnSpark() {
        final SqlSession sql = SqlSession.on(ctx).register("t", table).register("o", other);
        assertSameRows(sql.sql("SELECT id, CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero' END AS sign,"
            + " CAST(i AS BIGINT) * 2 AS x, CAST(l AS DOUBLE) / 2 AS y, CAST(b AS VARCHAR) AS bs FROM t"
            + " WHERE k IN ('a', 'b', 'z') AND s LIKE '%e%'"));
        assertSameRows(sql.sql("SELECT k, COUNT(*) AS n, SUM(CASE WHEN d > 0 THEN 1 ELSE 0 END) AS positive FROM t"
            + " WHERE i NOT IN (0, 7) OR s NOT LIKE 'S%' GROUP BY k"));
        assertSameRows(sql.sql("SELECT t.id, CAST(o.i AS VARCHAR) AS oi FROM t JOIN o ON t.k = o.k"
            + " WHERE t.s LIKE '_he%' AND o.l IN (-1, 0, 1)"));
    }

    @Test
    void untranslatableOperatorsAndUnserializableFunctionsThrowBeforeRunning(@TempDir final Path dir) {
        final Dataset grouped = table.groupBy("k").agg(Agg.count()).limit(2);
        final UnsupportedOperationException limit = assertThrows(UnsupportedOperationException.class, () -> spark.run(grouped));
        assertTrue(limit.getMessage().contains("limit(2) without orderBy"), limit.getMessage());
        final Dataset nested = table.limit(5).groupBy("k").agg(Agg.count());
        assertThrows(UnsupportedOperationException.class, () -> spark.run(nested));

        final Object notSerializable = new Object();
        final PartitionGenerator captures = (p, b) -> b.setInt32(0, notSerializable.hashCode()).endRow();
        final Dataset generated = ctx.generate(Schema.of(Field.notNull("x", ColumnType.INT32)), 2, captures);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> spark.run(generated));
        assertTrue(ex.getMessage().contains("PartitionGenerator") && ex.getMessage().contains(captures.getClass().getName()),
            ex.getMessage());
    }
}
