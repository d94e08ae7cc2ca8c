package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;

/** Filters as selection vectors: in-place predicates, refinement by AND, materialization and the count shortcut. */
class SelectionVectorTest extends LeakCheckedContext {
    private Batch batchOf(final List<Object[]> rows) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, Math.max(1, rows.size()))) {
            for (int r = 0; r < rows.size(); r++) {
                Rows.append(builder, rows.get(r), r);
            }
            return builder.build();
        }
    }

    private static List<Object[]> rowsOf(final Batch batch) {
        final List<Object[]> out = new ArrayList<>();
        for (int r = 0; r < batch.rowCount(); r++) {
            out.add(Rows.row(batch, r));
        }
        return out;
    }

    /** The rows of {@code batch} where {@code want} holds, as the predicate's reference. */
    private static int[] reference(final List<Object[]> rows, final int from, final Predicate<Object[]> want) {
        final List<Integer> out = new ArrayList<>();
        for (int r = from; r < rows.size(); r++) {
            if (want.test(rows.get(r))) {
                out.add(r - from);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void emptySelectionMaterializesToAnEmptyBatchAndCountsZero() {
        final List<Object[]> rows = randomRows(1, 300);
        try (Batch batch = batchOf(rows)) {
            final FilterOp never = new FilterOp(SCHEMA, col("v").gt(lit(5000)));
            final SelectionVector none = never.select(batch, null);
            assertEquals(0, none.size());
            try (Batch dense = none.materialize(batch, allocator)) {
                assertEquals(0, dense.rowCount());
                assertEquals(SCHEMA, dense.schema());
            }
            // Refining an empty selection stays empty and tests nothing.
            assertEquals(0, new FilterOp(SCHEMA, col("k").isNotNull()).select(batch, none).size());
        }
        assertEquals(0, ctx.fromRows(SCHEMA, rows, 3).filter(col("v").gt(lit(5000))).count());
    }

    @Test
    void allSelectedSharesTheBuffersInsteadOfCopying() {
        final List<Object[]> rows = randomRows(2, 200);
        try (Batch batch = batchOf(rows)) {
            final SelectionVector all = new FilterOp(SCHEMA, col("v").gt(lit(-5000)).or(col("v").isNull())).select(batch, null);
            assertEquals(batch.rowCount(), all.size());
            final long before = allocator.bytesOutstanding();
            try (Batch dense = all.materialize(batch, allocator)) {
                assertEquals(before, allocator.bytesOutstanding(), "an all-rows selection is a zero-copy slice");
                assertEquals(canonical(rows), canonical(rowsOf(dense)));
            }
        }
    }

    @Test
    void selectionOverASliceUsesSliceRowIndexes() {
        final List<Object[]> rows = randomRows(3, 500);
        try (Batch batch = batchOf(rows); Batch slice = batch.slice(137, 421)) {
            final List<Object[]> sliceRows = rows.subList(137, 421);
            final FilterOp filter = new FilterOp(SCHEMA, col("k").ge(lit(3L)).and(col("name").contains("a")));
            final SelectionVector selected = filter.select(slice, null);
            assertArrayEquals(reference(rows.subList(0, 421), 137, r -> r[0] != null && (Long) r[0] >= 3
                && r[1] != null && ((String) r[1]).contains("a")), selected.toArray());
            try (Batch dense = selected.materialize(slice, allocator)) {
                final List<Object[]> want = new ArrayList<>();
                for (final int r : selected.toArray()) {
                    want.add(sliceRows.get(r));
                }
                assertEquals(canonical(want), canonical(rowsOf(dense)));
            }
        }
    }

    @Test
    void wholeBatchContainsScansTheColumnOnceAndSkipsNulls() {
        final List<Object[]> rows = randomRows(8, 600);
        try (Batch batch = batchOf(rows); Batch slice = batch.slice(41, 577)) {
            for (final String needle : new String[] {"a", "ta", "éc", "zz", "ETA"}) {
                final int[] got = new FilterOp(SCHEMA, col("name").contains(needle)).select(slice, null).toArray();
                assertArrayEquals(reference(rows.subList(0, 577), 41, r -> r[1] != null && ((String) r[1]).contains(needle)),
                    got, needle);
            }
            // The empty needle keeps every non-null row and drops the null ones.
            assertArrayEquals(reference(rows.subList(0, 577), 41, r -> r[1] != null),
                new FilterOp(SCHEMA, col("name").contains("")).select(slice, null).toArray());
        }
    }

    @Test
    void materializingRowsOutsideTheBatchThrows() {
        try (Batch batch = batchOf(randomRows(4, 10))) {
            final SelectionVector tooFar = SelectionVector.of(new int[] {2, 10}, 2);
            assertThrows(IndexOutOfBoundsException.class, () -> tooFar.materialize(batch, allocator));
        }
        assertThrows(IllegalArgumentException.class, () -> SelectionVector.of(new int[2], 3));
    }

    /** Column-vs-literal predicates (either side, every operator, integral and floating) against plain Java. */
    @ParameterizedTest
    @CsvSource({"gt", "ge", "lt", "le", "eq", "ne"})
    void scalarComparisonsSelectLikeTheReference(final String op) {
        final List<Object[]> rows = randomRows(5, 800);
        try (Batch batch = batchOf(rows)) {
            check(batch, rows, compare(col("k"), op, lit(2L)), r -> r[0] != null && test(op, Long.compare((Long) r[0], 2)));
            check(batch, rows, compare(lit(2L), op, col("k")), r -> r[0] != null && test(op, Long.compare(2, (Long) r[0])));
            check(batch, rows, compare(col("v"), op, lit(10)), r -> r[2] != null && test(op, Integer.compare((Integer) r[2], 10)));
            check(batch, rows, compare(col("v"), op, lit(10.5)),
                r -> r[2] != null && test(op, Double.compare((Integer) r[2], 10.5)));
            check(batch, rows, compare(col("x"), op, lit(-3L)), r -> r[3] != null && test(op, Double.compare((Double) r[3], -3)));
        }
    }

    private void check(final Batch batch, final List<Object[]> rows, final Expr pred, final Predicate<Object[]> want) {
        final FilterOp filter = new FilterOp(SCHEMA, pred);
        assertArrayEquals(reference(rows, 0, want), filter.select(batch, null).toArray(), pred.toString());
        // The same predicate through the default path (evaluate a column, then pick) agrees.
        final BoundExpr bound = pred.bind(SCHEMA);
        final ColumnValues values = bound.eval(batch);
        final List<Integer> viaEval = new ArrayList<>();
        for (int r = 0; r < values.size; r++) {
            if (values.bools[r] && !values.isNull(r)) {
                viaEval.add(r);
            }
        }
        assertArrayEquals(viaEval.stream().mapToInt(Integer::intValue).toArray(), filter.select(batch, null).toArray());
    }

    private static Expr compare(final Expr a, final String op, final Expr b) {
        switch (op) {
            case "gt":
                return a.gt(b);
            case "ge":
                return a.ge(b);
            case "lt":
                return a.lt(b);
            case "le":
                return a.le(b);
            case "eq":
                return a.eq(b);
            default:
                return a.ne(b);
        }
    }

    private static boolean test(final String op, final int cmp) {
        switch (op) {
            case "gt":
                return cmp > 0;
            case "ge":
                return cmp >= 0;
            case "lt":
                return cmp < 0;
            case "le":
                return cmp <= 0;
            case "eq":
                return cmp == 0;
            default:
                return cmp != 0;
        }
    }

    @Test
    void filtersThenFlatMapAndCountMatchPlainJavaWithNullsAndNonAscii() {
        final List<Object[]> rows = new ArrayList<>();
        final String[] lines = {"a b  c", "éclair au café", "", " lead and trail ", "ünïcödé a", "b a b"};
        final java.util.Random random = new java.util.Random(6);
        for (int i = 0; i < 700; i++) {
            rows.add(new Object[] {(long) random.nextInt(10), random.nextInt(8) == 0 ? null : lines[random.nextInt(lines.length)],
                random.nextInt(100), null, random.nextBoolean()});
        }
        final Dataset ds = ctx.fromRows(SCHEMA, rows, 5);
        final Expr pred = col("k").lt(lit(7L)).and(col("name").contains("a"));
        final Map<String, Long> want = new HashMap<>();
        long kept = 0;
        for (final Object[] r : rows) {
            if ((Long) r[0] < 7 && r[1] != null && ((String) r[1]).contains("a")) {
                kept++;
                for (final String w : ((String) r[1]).split(" ")) {
                    if (!w.isEmpty()) {
                        want.merge(w, 1L, Long::sum);
                    }
                }
            }
        }
        assertEquals(kept, ds.filter(pred).count());
        assertEquals(kept, ds.filter(col("k").lt(lit(7L))).filter(col("name").contains("a")).count());
        final Map<String, Long> got = new HashMap<>();
        for (final Object[] r : ds.filter(pred).flatMap(Expr.split(col("name"), " "), "word").groupBy("word")
            .agg(Agg.count()).collect()) {
            got.put((String) r[0], (Long) r[1]);
        }
        assertEquals(want, got);
        // A filter followed by an operator that needs dense input (a projection) materializes the selection.
        assertEquals(kept, ds.filter(pred).select(col("name").upper().as("u")).collect().size());
    }
}
