package io.sluice.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** The session API: results of hand-checked queries, explain, batch files, and errors with their positions. */
class SqlSessionTest {
    private static final Schema PEOPLE = Schema.of(Field.notNull("id", ColumnType.INT64),
        Field.nullable("name", ColumnType.UTF8), Field.nullable("dept", ColumnType.INT32), Field.nullable("pay", ColumnType.FLOAT64));
    private static final Schema DEPTS = Schema.of(Field.notNull("dept", ColumnType.INT32), Field.notNull("title", ColumnType.UTF8));

    private BufferAllocator allocator;
    private ExecutionContext ctx;
    private SqlSession sql;

    @BeforeEach
    void setUp() {
        allocator = new BufferAllocator();
        ctx = ExecutionContext.create(DuckDbDifferentialTest.config(SchedulingPolicy.WORK_STEALING, FaultInjection.none()),
            allocator, 3);
        sql = SqlSession.on(ctx)
            .register("people", ctx.fromRows(PEOPLE, List.of(
                new Object[] {1L, "ann", 10, 100.0}, new Object[] {2L, "bob", 10, 50.0}, new Object[] {3L, "cé", 20, null},
                new Object[] {4L, null, null, 10.0}), 2))
            .register("depts", ctx.fromRows(DEPTS, List.of(new Object[] {10, "eng"}, new Object[] {30, "ops"}), 1));
    }

    @AfterEach
    void tearDown() {
        ctx.close();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private List<String> rows(final String query) {
        return sql.sql(query).collect().stream().map(Arrays::toString).collect(Collectors.toList());
    }

    @Test
    void handCheckedQueries() {
        assertEquals(List.of("[ann, eng]", "[bob, eng]", "[cé, null]", "[null, null]"),
            rows("select p.name, d.title from people p left join depts d on p.dept = d.dept order by p.id"));
        assertEquals(List.of("[10, 2, 150.0, 75.0]", "[20, 1, null, null]", "[null, 1, 10.0, 10.0]"),
            rows("select dept, count(*), sum(pay), avg(pay) from people group by dept order by dept"));
                assertEquals(List.of("[2, 4, 1]"), rows("select count(distinct dept), count(*), count(*) - count(name) from people"));
        assertEquals(List.of("[1]"), rows("select `id` from people where name like 'a%' and pay between 50 and 100"));
        assertEquals(List.of("[0, 0]"), rows("select count(*), count(pay) from people where id > 100"));
        assertEquals(List.of("[ann, eng]", "[bob, eng]", "[null, ops]"),
            rows("select p.name, d.title from people p right join depts d on p.dept = d.dept order by d.title, p.name"));
        assertEquals(List.of("[10]", "[20]", "[30]"),
            rows("select dept from people where dept is not null union select dept from depts order by dept"));
        assertEquals(List.of("[1, x]", "[null, y]"), rows("select nullif(a, 2), b from (values (1, 'x'), (2, 'y')) as v(a, b)"));
    }

    @Test
    void sqlMatchesTheDslPipeline() {
        final List<String> viaSql = rows("select dept, count(*) as n from people where pay > 20 group by dept");
        final List<String> viaDsl = ctx.fromRows(PEOPLE, List.of(
                new Object[] {1L, "ann", 10, 100.0}, new Object[] {2L, "bob", 10, 50.0}, new Object[] {3L, "cé", 20, null},
                new Object[] {4L, null, null, 10.0}), 2)
            .filter(Expr.col("pay").gt(Expr.lit(20.0))).groupBy("dept").agg(Agg.count().as("n"))
            .collect().stream().map(Arrays::toString).collect(Collectors.toList());
        assertEquals(viaDsl, viaSql);
    }

    @Test
    void groupByPlanIsTheDslChainWithNothingAdded() {
        // What the DSL runs for people.groupBy("dept").agg(Agg.count().as("n")): one aggregate over the scan.
        assertEquals("HashAggregate keys=[dept] [COUNT(*) AS n]\n  Scan people " + PEOPLE + "\n",
            sql.explain("select dept, count(*) as n from people group by dept"));
    }

    @Test
    void innerJoinOnSameNamedKeysKeepsOneKeyColumnAsTheDslDoes() {
        final String plan = sql.explain("select d.title, count(*) as n from people p join depts d on p.dept = d.dept "
            + "group by d.title");
        assertTrue(plan.contains("HashJoin INNER [dept] = [dept]") && !plan.contains("rename"), plan);
        assertEquals(List.of("[eng, 2, 10, 10]"),
            rows("select d.title, count(*), min(p.dept), max(d.dept) from people p join depts d on p.dept = d.dept "
                + "group by d.title"));
    }

    @Test
    void explainShowsSluiceOperatorsWithFilterPushedIntoTheJoinInput() {
        final String plan = sql.explain("select p.name, d.title from people p join depts d on p.dept = d.dept where p.pay > 10");
        assertTrue(plan.contains("HashJoin INNER"), plan);
        final int join = plan.indexOf("HashJoin");
        final int filter = plan.indexOf("Filter (col('pay') > 10");
        assertTrue(filter > join, "the WHERE filter runs below the join (on the people input):\n" + plan);
        assertTrue(plan.contains("Scan people") && plan.contains("Scan depts"), plan);
    }

    @Test
    void registeredBatchFilesAreQueryable(@TempDir final Path dir) {
        final Path files = dir.resolve("people");
        ctx.fromRows(PEOPLE, List.of(new Object[] {7L, "zed", 1, 2.0}, new Object[] {8L, "ymir", 1, 3.0}), 2).write(files);
        assertTrue(Files.isDirectory(files));
        sql.registerFiles("saved", files);
        assertEquals(List.of("[1, 5.0]"), rows("select dept, sum(pay) from saved group by dept"));
    }

    @Test
    void errorOnALaterLineGivesThatLine() {
        final SqlException ex = assertThrows(SqlException.class, () -> sql.sql("select id,\n  nope\nfrom people"));
        assertEquals(2, ex.line(), ex.getMessage());
        assertEquals(3, ex.column(), ex.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "select * from nowhere | 1 | 15 | nowhere",
        "select id, nope from people | 1 | 12 | nope",
        "select id, from people | 1 | 12 | syntax error",
        "select id from people where name | 1 | 29 | must be a condition",
        "select * from people p full join depts d on p.dept = d.dept | 1 | 29 | FULL JOIN",
        "select id from people order by id limit 1 offset 2 | 1 | 50 | OFFSET",
        "select id from people where dept in (select dept from depts) | 1 | 38 | subquery",
        "select dept, min(name) from people group by dept | 1 | 14 | MIN",
        "select id, row_number() over (order by id) from people | 1 | 12 | OVER",
        "select trim(name) from people | 1 | 8 | TRIM",
    })
    void errorsNameTheConstructAndItsPosition(final String query, final int line, final int column, final String construct) {
        final long stagesBefore = ctx.stagesRun();
        final SqlException ex = assertThrows(SqlException.class, () -> sql.sql(query));
        assertTrue(ex.getMessage().contains(construct), ex.getMessage());
        assertEquals(line + ":" + column, ex.line() + ":" + ex.column(), ex.getMessage());
        assertEquals(stagesBefore, ctx.stagesRun(), "nothing ran");
    }
}
