package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
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
 * A projection of every column in order is a view of its input; any other projection shares the referenced columns'
 * buffers and writes only the computed ones.
 */
class ProjectPassThroughTest extends LeakCheckedContext {
    private static final Schema SCHEMA = Schema.of(Field.notNull("id", ColumnType.INT64),
        Field.nullable("name", ColumnType.UTF8));

    @Test
    void passThroughSharesTheInputAndReordersCopy() {
        try (Batch input = batch()) {
            final Batch shared = new ProjectOp(SCHEMA, List.of(col("id"), col("name"))).apply(input, allocator);
            final Batch reordered = new ProjectOp(SCHEMA, List.of(col("name"), col("id"))).apply(input, allocator);
            final Batch renamed = new ProjectOp(SCHEMA, List.of(col("id").as("key"), col("name"))).apply(input, allocator);
            try (shared; reordered; renamed) {
                assertTrue(shared.isSlice(), "a pass-through is a view of its input");
                assertEquals(SCHEMA, shared.schema());
                assertEquals(2, input.refCount(), "the view holds the input");
                assertFalse(reordered.isSlice());
                assertFalse(renamed.isSlice());
                for (int row = 0; row < input.rowCount(); row++) {
                    assertEquals(input.int64Vector(0).get(row), shared.int64Vector(0).get(row));
                    assertEquals(input.utf8Vector(1).getString(row), shared.utf8Vector(1).getString(row));
                    assertEquals(input.utf8Vector(1).getString(row), reordered.utf8Vector(0).getString(row));
                    assertEquals(input.int64Vector(0).get(row), renamed.int64Vector(0).get(row));
                }
            }
            assertEquals(1, input.refCount(), "releasing the view releases its hold on the input");
        }
    }

    @Test
    void referencedColumnsAreSharedAndOutliveTheInput() {
        final Batch projected;
        try (Batch input = batch()) {
            final long before = allocator.bytesOutstanding();
            projected = new ProjectOp(SCHEMA, List.of(col("name"), col("id").times(Expr.lit(2L)).as("twice"), col("id")))
                .apply(input, allocator);
            assertEquals(1, input.refCount(), "the projection holds the input's buffers, not the batch");
            assertTrue(allocator.bytesOutstanding() - before < input.allocatedBytes(),
                "only the computed column is new memory");
        }
        try (projected) {
            assertEquals(List.of("name", "twice", "id"), projected.schema().fields().stream().map(Field::name).toList());
            for (int row = 0; row < 5; row++) {
                assertEquals(row == 3 ? null : "row-" + row, projected.vector(0).isNull(row) ? null
                    : projected.utf8Vector(0).getString(row));
                assertEquals(2L * row, projected.int64Vector(1).get(row));
                assertEquals(row, projected.int64Vector(2).get(row));
            }
        }
    }

    @Test
    void passThroughSelectGivesTheSameRows() {
        final Dataset table = ctx.fromRows(SCHEMA, List.of(new Object[] {1L, "a"}, new Object[] {2L, null},
            new Object[] {3L, "c"}), 2);
        assertEquals(DatasetTestSupport.canonical(table.collect()),
            DatasetTestSupport.canonical(table.select("id", "name").collect()));
        assertEquals(DatasetTestSupport.canonical(table.filter(col("id").ne(Expr.lit(2L))).collect()),
            DatasetTestSupport.canonical(table.filter(col("id").ne(Expr.lit(2L))).select("id", "name").collect()));
    }

    private Batch batch() {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA)) {
            for (long i = 0; i < 5; i++) {
                builder.setInt64(0, i);
                if (i == 3) {
                    builder.setNull(1);
                } else {
                    builder.setUtf8(1, "row-" + i);
                }
                builder.endRow();
            }
            return builder.build();
        }
    }
}
