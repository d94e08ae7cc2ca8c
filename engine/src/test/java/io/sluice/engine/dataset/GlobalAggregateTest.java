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
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.memory.Batch;

/** Aggregates without keys ({@code groupBy()}, {@link Dataset#agg}) against a plain-Java reference with SQL semantics. */
class GlobalAggregateTest extends LeakCheckedContext {
    /**
     * SQL's {@code SELECT COUNT(*), COUNT(name), SUM(v), MIN(v), MAX(v), AVG(v), SUM(x), MIN(x), MAX(k), AVG(x)}
     * computed row by row: counts are 0 on empty input, the others null when no non-null value was seen.
     */
    private static Object[] reference(final List<Object[]> rows) {
        long count = 0;
        long names = 0;
        long sumV = 0;
        long nV = 0;
        Integer minV = null;
        Integer maxV = null;
        double sumX = 0;
        long nX = 0;
        Double minX = null;
        Long maxK = null;
        for (final Object[] r : rows) {
            count++;
            if (r[1] != null) {
                names++;
            }
            if (r[2] != null) {
                final int v = (Integer) r[2];
                sumV += v;
                nV++;
                minV = minV == null ? v : Math.min(minV, v);
                maxV = maxV == null ? v : Math.max(maxV, v);
            }
            if (r[3] != null) {
                final double x = (Double) r[3];
                sumX += x;
                nX++;
                minX = minX == null ? x : Math.min(minX, x);
            }
            if (r[0] != null) {
                maxK = maxK == null ? (Long) r[0] : Math.max(maxK, (Long) r[0]);
            }
        }
        return new Object[] {count, names, nV == 0 ? null : sumV, minV, maxV, nV == 0 ? null : (double) sumV / nV,
            nX == 0 ? null : sumX, minX, maxK, nX == 0 ? null : sumX / nX};
    }

    private static Agg[] aggs() {
        return new Agg[] {Agg.count(), Agg.count("name"), Agg.sum("v"), Agg.min("v"), Agg.max("v"), Agg.avg("v"),
            Agg.sum("x"), Agg.min("x"), Agg.max("k"), Agg.avg("x")};
    }

    @ParameterizedTest
    @CsvSource({"21, 1, 0", "22, 7, 0", "23, 1, 1", "24, 5, 300", "25, 1000, 800", "26, 13, 5", "27, 3, 3000"})
    void globalAggregateMatchesReference(final long seed, final int partitions, final int rows) {
        final List<Object[]> input = randomRows(seed, rows);
        final Dataset ds = ctx.fromRows(SCHEMA, input, partitions);
        final Dataset agg = ds.agg(aggs());
        assertEquals(1, agg.numPartitions());
        final List<Object[]> got = agg.collect();
        assertEquals(1, got.size(), "a global aggregate has exactly one row");
        assertArrayEquals(reference(input), got.get(0));
        // groupBy() without keys is the same operator.
        assertArrayEquals(reference(input), ds.groupBy().agg(aggs()).collect().get(0));
    }

    @Test
    void aFilterThatKeepsNothingStillGivesOneRowOfCountZeroAndNulls() {
        final Dataset ds = ctx.fromRows(SCHEMA, randomRows(31, 500), 6).filter(col("v").gt(lit(5000)));
        final List<Object[]> got = ds.agg(aggs()).collect();
        assertEquals(1, got.size());
        assertArrayEquals(new Object[] {0L, 0L, null, null, null, null, null, null, null, null}, got.get(0));
        assertEquals(1L, ds.agg(Agg.count()).count());
    }

    @Test
    void onlyNullsGiveNullSumsAndACountOfRows() {
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new Object[] {null, null, null, null, null});
        }
        final List<Object[]> got = ctx.fromRows(SCHEMA, rows, 3).agg(aggs()).collect();
        assertArrayEquals(new Object[] {40L, 0L, null, null, null, null, null, null, null, null}, got.get(0));
    }

    @Test
    void aDatasetWithoutPartitionsGivesOneRow() {
        final Dataset none = ctx.fromBatches(SCHEMA, List.<Batch>of());
        assertEquals(0, none.numPartitions());
        final List<Object[]> got = none.agg(Agg.count(), Agg.sum("v").as("total")).collect();
        assertEquals(1, got.size());
        assertArrayEquals(new Object[] {0L, null}, got.get(0));
        assertEquals(List.of("count", "total"), names(none.agg(Agg.count(), Agg.sum("v").as("total"))));
    }

    @Test
    void aGlobalAggregateFeedsFurtherOperators() {
        final List<Object[]> input = randomRows(41, 1000);
        final Object[] want = reference(input);
        final List<Object[]> got = ctx.fromRows(SCHEMA, input, 9).agg(Agg.count(), Agg.sum("v"))
            .select(col("count").plus(col("sum_v")).as("both")).collect();
        assertEquals((Long) want[0] + (Long) want[2], got.get(0)[0]);
    }

    @Test
    void aGlobalAggregateNeedsAnAggregate() {
        final Dataset ds = ctx.fromRows(SCHEMA, randomRows(51, 10), 2);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ds.agg());
        assertTrue(ex.getMessage().contains("at least one aggregate"), ex.getMessage());
    }

    private static List<String> names(final Dataset ds) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < ds.schema().fieldCount(); i++) {
            out.add(ds.schema().field(i).name());
        }
        return out;
    }
}
