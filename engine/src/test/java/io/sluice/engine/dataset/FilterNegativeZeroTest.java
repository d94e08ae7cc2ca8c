package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** A filter's column-against-literal fast path compares doubles as the general path does: -0.0 equals 0.0. */
class FilterNegativeZeroTest extends LeakCheckedContext {
    @Test
    void filterOnADoubleColumnAgreesWithTheProjectedPredicate() {
        final Schema schema = Schema.of(Field.notNull("id", ColumnType.INT64), Field.nullable("d", ColumnType.FLOAT64));
        final double[] values = {-0.0, 0.0, -1.5, 2.0, Double.NaN, Double.NEGATIVE_INFINITY};
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(new Object[] {(long) i, values[i]});
        }
        rows.add(new Object[] {(long) values.length, null});
        final Dataset table = ctx.fromRows(schema, rows, 2);
        final List<Expr> predicates = List.of(col("d").ge(lit(0.0)), col("d").lt(lit(0.0)), col("d").eq(lit(-0.0)),
            col("d").ne(lit(0)), lit(0.0).le(col("d")), col("d").gt(lit(-0.0)));
        for (final Expr p : predicates) {
            final List<Long> filtered = new ArrayList<>();
            for (final Object[] r : table.filter(p).collect()) {
                filtered.add((Long) r[0]);
            }
            final List<Long> projected = new ArrayList<>();
            for (final Object[] r : table.select(col("id"), p.as("keep")).collect()) {
                if (Boolean.TRUE.equals(r[1])) {
                    projected.add((Long) r[0]);
                }
            }
            filtered.sort(null);
            projected.sort(null);
            assertEquals(projected, filtered, p::toString);
        }
    }
}
