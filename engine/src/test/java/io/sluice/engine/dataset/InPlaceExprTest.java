package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Numeric expressions over not-null columns and literals are read in place ({@link BoundExpr#inPlace}): projected
 * straight into off-heap columns and tested in place by filters, with the same values as the general evaluation.
 */
class InPlaceExprTest extends LeakCheckedContext {
    private static final Schema SCHEMA = Schema.of(Field.notNull("a", ColumnType.INT64), Field.notNull("i", ColumnType.INT32),
        Field.notNull("d", ColumnType.FLOAT64), Field.nullable("n", ColumnType.INT64));
    private static final int ROWS = 1000;

    @Test
    void inPlaceOnlyForNeverNullNumericExpressions() {
        assertTrue(col("a").times(lit(0.908)).bind(SCHEMA).inPlace());
        assertTrue(col("a").mod(lit(123L)).bind(SCHEMA).inPlace(), "a remainder by a non-zero literal is never null");
        assertTrue(col("i").cast(ColumnType.FLOAT64).div(col("d")).bind(SCHEMA).inPlace());
        assertFalse(col("a").mod(col("i")).bind(SCHEMA).inPlace(), "an integer remainder by a column may be null");
        assertFalse(col("a").div(lit(0L)).bind(SCHEMA).inPlace(), "an integer division by zero is null");
        assertFalse(col("n").plus(lit(1L)).bind(SCHEMA).inPlace(), "a nullable column");
        assertFalse(col("a").cast(ColumnType.INT32).bind(SCHEMA).inPlace(), "narrowing may fail");
    }

    @Test
    void projectionWritesTheSameValuesAsTheGeneralEvaluation() {
        final List<Expr> exprs = List.of(col("a").times(lit(0.908)).as("euros"), col("a").mod(lit(123L)).as("m"),
            col("i").plus(col("i")).times(lit(3)).as("i6"), col("a").minus(col("i")).as("diff"),
            col("i").cast(ColumnType.FLOAT64).div(col("d")).as("ratio"), col("d").mod(lit(7.5)).as("dm"),
            col("a").div(lit(-7L)).as("q"), col("a").cast(ColumnType.INT64).as("same"), col("n").plus(lit(1L)).as("general"));
        try (Batch whole = batch(); Batch input = whole.slice(17, ROWS - 3)) {
            final ProjectOp project = new ProjectOp(SCHEMA, exprs.subList(0, exprs.size() - 1));
            final ProjectOp mixed = new ProjectOp(SCHEMA, exprs);
            try (Batch out = project.apply(input, allocator); Batch general = mixed.apply(input, allocator)) {
                assertEquals(input.rowCount(), out.rowCount());
                for (int c = 0; c < out.columnCount(); c++) {
                    final ColumnValues expected = exprs.get(c).bind(SCHEMA).eval(input);
                    for (int row = 0; row < input.rowCount(); row++) {
                        assertFalse(out.vector(c).isNull(row), "column " + c + " row " + row);
                        assertEquals(expected.type == ColumnType.FLOAT64 ? expected.doubles[row] : (Object) expected.longs[row],
                            numeric(out, c, row), "column " + c + " row " + row);
                        assertEquals(numeric(out, c, row), numeric(general, c, row), "column " + c + " row " + row);
                    }
                }
            }
        }
    }

    @Test
    void filterTestsAnInPlaceExpressionWithoutBuildingColumns() {
        try (Batch input = batch()) {
            final FilterOp filter = new FilterOp(SCHEMA, col("a").mod(lit(123L)).eq(lit(0L)).and(col("d").times(lit(2.0))
                .lt(col("i").cast(ColumnType.FLOAT64))));
            try (Batch out = filter.apply(input, allocator)) {
                int expected = 0;
                for (int row = 0; row < ROWS; row++) {
                    final long a = input.int64Vector(0).get(row);
                    if (a % 123 == 0 && input.float64Vector(2).get(row) * 2.0 < input.int32Vector(1).get(row)) {
                        assertEquals(a, out.int64Vector(0).get(expected++));
                    }
                }
                assertEquals(expected, out.rowCount());
                assertTrue(expected > 0 && expected < ROWS, "some rows pass, some do not: " + expected);
            }
        }
    }

    private static Object numeric(final Batch batch, final int column, final int row) {
        switch (batch.schema().field(column).type()) {
            case FLOAT64:
                return batch.float64Vector(column).get(row);
            case INT32:
                return (long) batch.int32Vector(column).get(row);
            default:
                return batch.int64Vector(column).get(row);
        }
    }

    private Batch batch() {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, ROWS)) {
            for (int row = 0; row < ROWS; row++) {
                final long a = (row * 7919L) % 100_003 - 500;
                builder.setInt64(0, a).setInt32(1, row - 300).setFloat64(2, row % 5 == 0 ? -0.0 : (row - 400) / 3.0);
                if (row % 4 == 0) {
                    builder.setNull(3);
                } else {
                    builder.setInt64(3, row);
                }
                builder.endRow();
            }
            return builder.build();
        }
    }
}
