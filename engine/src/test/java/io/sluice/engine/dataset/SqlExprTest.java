package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** CASE, CAST, IN and LIKE (the expressions the SQL front end needs) against plain-Java references. */
class SqlExprTest extends LeakCheckedContext {
    @Test
    void caseCastInMatchReferenceOverRandomRows() {
        final List<Object[]> input = randomRows(7, 700);
        final List<Object[]> got = ctx.fromRows(SCHEMA, input, 5).select(
            Expr.caseWhen(List.of(col("v").gt(lit(100)), col("flag")), List.of(col("k"), col("v")), lit(-1L)).as("c"),
            col("x").cast(ColumnType.INT64).as("xi"),
            col("v").cast(ColumnType.UTF8).as("vs"),
            col("k").in(Arrays.asList(1L, 3, 7.0, 2.5)).as("kin"),
            col("name").in(Arrays.asList("alpha", null)).as("nin")).collect();
        assertEquals(input.size(), got.size());
        for (int i = 0; i < input.size(); i++) {
            final Object[] r = input.get(i);
            final Long k = (Long) r[0];
            final Integer v = (Integer) r[2];
            final Double x = (Double) r[3];
            final Boolean flag = (Boolean) r[4];
            final Object c;
            if (v != null && v > 100) {
                c = k;
            } else if (Boolean.TRUE.equals(flag)) {
                c = v == null ? null : Long.valueOf(v);
            } else {
                c = -1L;
            }
            final Object xi = x == null ? null : Long.valueOf((long) x.doubleValue());
            final Object kin = k == null ? null : Boolean.valueOf(k == 1 || k == 3 || k == 7);
            final Object nin = r[1] == null ? null : "alpha".equals(r[1]) ? Boolean.TRUE : null;
            final Object[] want = {c, xi, v == null ? null : String.valueOf(v), kin, nin};
            assertArrayEquals(want, got.get(i), "row " + i + " input " + Arrays.toString(r));
        }
    }

    @Test
    void likeMatchesRegexReferenceOnAsciiAndNonAscii() {
        final String[] values = {"", "a", "abc", "abcabc", "éclair", "aéb", "a_b", "a%b", "xyz", "日本語", "ab"};
        final String[] patterns = {"%", "a%", "%c", "a_c", "%b%", "_", "__", "a\\_b", "a\\%b", "é%", "_é_", "%本%", "a%c%",
            "%a%b%c", ""};
        final List<Object[]> rows = new ArrayList<>();
        for (final String v : values) {
            rows.add(new Object[] {v});
        }
        rows.add(new Object[] {null});
        final Schema schema = Schema.of(Field.nullable("s", ColumnType.UTF8));
        final Dataset ds = ctx.fromRows(schema, rows, 3);
        for (final String p : patterns) {
            final List<Object[]> got = ds.select(col("s").like(p, '\\').as("m")).collect();
            final Pattern regex = Pattern.compile(toRegex(p), Pattern.DOTALL);
            for (int i = 0; i < values.length; i++) {
                assertEquals(regex.matcher(values[i]).matches(), got.get(i)[0], "'" + values[i] + "' LIKE '" + p + "'");
            }
            assertEquals(null, got.get(values.length)[0], "null LIKE '" + p + "'");
        }
    }

    @Test
    void negativeZeroEqualsZeroInComparisonsGroupsAndSorts() {
        final Schema schema = Schema.of(Field.nullable("x", ColumnType.FLOAT64), Field.nullable("i", ColumnType.INT32));
        final List<Object[]> rows = List.of(new Object[] {-0.0, 2}, new Object[] {0.0, 1}, new Object[] {-0.0, 3},
            new Object[] {0.0, 0});
        final Dataset ds = ctx.fromRows(schema, rows, 3);
        assertEquals(4, ds.filter(col("x").eq(lit(0.0))).count());
        assertEquals(0, ds.filter(col("x").lt(lit(0.0))).count());
        final List<Object[]> groups = ds.groupBy("x").agg(Agg.count()).collect();
        assertEquals(1, groups.size(), "-0.0 and 0.0 form one group");
        assertEquals(4L, groups.get(0)[1]);
        final List<Object[]> sorted = ds.orderBy(SortKey.asc("x"), SortKey.asc("i")).collect();
        for (int i = 0; i < 4; i++) {
            assertEquals(i, sorted.get(i)[1], "the tie on x is broken by i");
        }
        assertEquals(1L, ds.select(col("i").mod(lit(2)).as("m")).filter(col("m").eq(lit(1))).count() - 1);
    }

    @Test
    void badCastNamesValueAndRow() {
        final Schema schema = Schema.of(Field.nullable("s", ColumnType.UTF8));
        final List<Object[]> rows = List.of(new Object[] {" 12 "}, new Object[] {"x1"});
        final Dataset ds = ctx.fromRows(schema, rows, 1);
        assertEquals(12L, ds.limit(1).select(col("s").cast(ColumnType.INT64).as("i")).collect().get(0)[0]);
        final RuntimeException ex = assertThrows(RuntimeException.class,
            () -> ds.select(col("s").cast(ColumnType.INT32).as("i")).collect());
        assertTrue(String.valueOf(causeMessages(ex)).contains("value='x1' at row=1"), causeMessages(ex));
        assertThrows(IllegalArgumentException.class, () -> ds.select(Expr.caseWhen(List.of(col("s")), List.of(lit(1)),
            lit(2)).as("c")), "a UTF8 condition is a type error when the operator is added");
    }

    private static String causeMessages(final Throwable t) {
        final StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static String toRegex(final String like) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            final char c = like.charAt(i);
            if (c == '\\') {
                sb.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                sb.append(".*");
            } else if (c == '_') {
                sb.append('.');
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
