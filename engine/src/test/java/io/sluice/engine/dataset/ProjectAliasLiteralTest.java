package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Aliases of plain columns share the input's buffers under their new (nullable) field, and literals are filled in
 * bulk: over slices at any offset, both read exactly as a plain-Java model of the projection, the shared buffers
 * outlive whichever of input and output is released first, and nothing is left off-heap.
 */
class ProjectAliasLiteralTest extends LeakCheckedContext {
    private static final ColumnType[] TYPES = {ColumnType.BOOLEAN, ColumnType.INT32, ColumnType.INT64, ColumnType.FLOAT64,
        ColumnType.UTF8};
    private static final Schema SCHEMA = schema();
    private static final int ROWS = 45;
    private static final String[] STRINGS = {"", "a", "héllo ✓", "日本語のテキスト", "plain ascii text", "\uD83D\uDE00 emoji"};

    /** Every literal type, empty and non-ASCII strings, and a typed null of every type. */
    private static final Object[] LITERALS = {true, false, 7, Integer.MIN_VALUE, -1L, Long.MAX_VALUE, 2.5, -0.0, "",
        "héllo ✓", "a longer literal of some bytes"};

    private static Schema schema() {
        final List<Field> fields = new ArrayList<>();
        for (final ColumnType type : TYPES) {
            fields.add(Field.notNull("nn_" + type.name().toLowerCase(), type));
            fields.add(Field.nullable("nl_" + type.name().toLowerCase(), type));
        }
        return new Schema(fields);
    }

    @Test
    void aliasesAndLiteralsReadAsTheModelOverEverySlice() {
        final List<Expr> exprs = new ArrayList<>();
        for (final Field field : SCHEMA.fields()) {
            exprs.add(col(field.name()).as("a_" + field.name()));
        }
        for (int i = 0; i < LITERALS.length; i++) {
            exprs.add(lit(LITERALS[i]).as("lit_" + i));
        }
        for (final ColumnType type : TYPES) {
            exprs.add(Expr.nullOf(type).as("null_" + type.name().toLowerCase()));
        }
        exprs.add(col("nn_int64"));
        final ProjectOp op = new ProjectOp(SCHEMA, exprs);
        for (int i = 0; i < exprs.size() - 1; i++) {
            final Field field = op.outputSchema().field(i);
            assertEquals(Field.nullable(exprs.get(i).outputName(), field.type()), field,
                "an alias or a literal has a nullable field, as before");
        }
        assertEquals(SCHEMA.field(SCHEMA.indexOf("nn_int64")), op.outputSchema().field(exprs.size() - 1));
        try (Batch input = batch(new Random(42))) {
            for (final int[] window : new int[][] {{0, ROWS}, {3, ROWS}, {9, 30}, {13, 14}, {5, 5}, {1, 44}}) {
                try (Batch slice = input.slice(window[0], window[1]); Batch out = op.apply(slice, allocator)) {
                    assertEquals(slice.rowCount(), out.rowCount());
                    for (int row = 0; row < slice.rowCount(); row++) {
                        final Object[] in = Rows.row(slice, row);
                        final List<Object> expected = new ArrayList<>(Arrays.asList(in));
                        expected.addAll(Arrays.asList(LITERALS));
                        expected.addAll(Arrays.asList(new Object[TYPES.length]));
                        expected.add(in[SCHEMA.indexOf("nn_int64")]);
                        assertArrayEquals(expected.toArray(), Rows.row(out, row),
                            "row " + row + " of slice " + Arrays.toString(window));
                    }
                }
            }
        }
    }

    @Test
    void literalsNextToAComputedColumnTakeTheGeneralPathAlike() {
        final ProjectOp op = new ProjectOp(SCHEMA, List.of(lit("héllo ✓").as("s"), col("nl_int64").plus(lit(1L)).as("p"),
            lit(true).as("b"), Expr.nullOf(ColumnType.UTF8).as("n")));
        try (Batch input = batch(new Random(7)); Batch slice = input.slice(3, 40); Batch out = op.apply(slice, allocator)) {
            for (int row = 0; row < slice.rowCount(); row++) {
                final Long value = (Long) Rows.row(slice, row)[SCHEMA.indexOf("nl_int64")];
                assertArrayEquals(new Object[] {"héllo ✓", value == null ? null : value + 1, true, null}, Rows.row(out, row));
            }
        }
    }

    @Test
    void aliasesOfNullableColumnsAllocateNothingAndNotNullOnesOnlyABitmap() {
        final List<Expr> nullable = new ArrayList<>();
        final List<Expr> notNull = new ArrayList<>();
        for (final Field field : SCHEMA.fields()) {
            (field.isNullable() ? nullable : notNull).add(col(field.name()).as("x_" + field.name()));
        }
        try (Batch input = batch(new Random(1)); Batch slice = input.slice(2, ROWS)) {
            final long before = allocator.bytesOutstanding();
            try (Batch out = new ProjectOp(SCHEMA, nullable).apply(slice, allocator)) {
                assertEquals(before, allocator.bytesOutstanding(), "a renamed nullable column is shared, not copied");
                assertEquals(Rows.row(slice, 0)[1], Rows.row(out, 0)[0]);
            }
            try (Batch out = new ProjectOp(SCHEMA, notNull).apply(slice, allocator)) {
                final long added = allocator.bytesOutstanding() - before;
                assertFalse(added > 64L * notNull.size(), "only an all-valid bitmap per column is new: added=" + added);
                for (int c = 0; c < notNull.size(); c++) {
                    for (int row = 0; row < out.rowCount(); row++) {
                        assertFalse(out.vector(c).isNull(row), "a not-null column shared as nullable reads as valid");
                    }
                }
            }
            assertEquals(before, allocator.bytesOutstanding());
        }
    }

    @Test
    void sharedBuffersOutliveEitherReleaseOrder() {
        final List<Expr> exprs = new ArrayList<>();
        for (final Field field : SCHEMA.fields()) {
            exprs.add(col(field.name()).as("r_" + field.name()));
        }
        exprs.add(lit("x").as("l"));
        final ProjectOp op = new ProjectOp(SCHEMA, exprs);
        for (final boolean inputFirst : new boolean[] {true, false}) {
            final Batch input = batch(new Random(3));
            final Batch slice = input.slice(5, 33);
            final List<Object[]> expected = new ArrayList<>();
            for (int row = 0; row < slice.rowCount(); row++) {
                final List<Object> values = new ArrayList<>(Arrays.asList(Rows.row(slice, row)));
                values.add("x");
                expected.add(values.toArray());
            }
            final Batch out = op.apply(slice, allocator);
            assertEquals(1, slice.refCount(), "the output holds the buffers, not the input batch");
            if (inputFirst) {
                slice.release();
                input.release();
                for (int row = 0; row < out.rowCount(); row++) {
                    assertArrayEquals(expected.get(row), Rows.row(out, row), "row " + row + " after the input's release");
                }
                out.release();
            } else {
                out.release();
                for (int row = 0; row < slice.rowCount(); row++) {
                    assertArrayEquals(Arrays.copyOf(expected.get(row), SCHEMA.fieldCount()), Rows.row(slice, row));
                }
                slice.release();
                input.release();
            }
            assertEquals(0, allocator.bytesOutstanding(), "inputFirst=" + inputFirst);
            assertThrows(IllegalStateException.class, out::release, "a double release throws");
        }
    }

    @Test
    void sharingANotNullColumnUnderAFieldOfAnotherTypeThrowsAndLeaksNothing() {
        try (Batch input = batch(new Random(5))) {
            final Schema wrong = Schema.of(Field.nullable("a", ColumnType.INT64), Field.nullable("b", ColumnType.INT32));
            final int[] columns = {SCHEMA.indexOf("nn_int64"), SCHEMA.indexOf("nn_int64")};
            assertThrows(IllegalArgumentException.class,
                () -> Batch.share(wrong, new Batch[] {input, input}, columns, allocator));
            assertThrows(IllegalArgumentException.class, () -> Batch.share(Schema.of(Field.notNull("c", ColumnType.INT64)),
                new Batch[] {input}, new int[] {SCHEMA.indexOf("nl_int64")}, allocator), "a nullable column never narrows");
            assertEquals(input.allocatedBytes(), allocator.bytesOutstanding());
        }
    }

    @Test
    void aUnionOfAliasesAndLiteralsCollectsEveryRow() {
        final Schema people = Schema.of(Field.notNull("id", ColumnType.INT64), Field.notNull("name", ColumnType.UTF8));
        final Dataset persons = ctx.fromRows(people, List.of(new Object[] {1L, "ä"}, new Object[] {2L, "b"}), 2);
        final Dataset left = persons.select(col("id").as("key"), lit(-1L).as("auction"), col("name").as("name"));
        final Dataset right = persons.select(col("id").as("key"), col("id").as("auction"), lit("").as("name"));
        assertEquals(List.of("[1, -1, ä]", "[1, 1, ]", "[2, -1, b]", "[2, 2, ]"),
            DatasetTestSupport.canonical(left.union(right).collect()));
    }

    private Batch batch(final Random random) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA)) {
            for (int row = 0; row < ROWS; row++) {
                final Object[] values = new Object[SCHEMA.fieldCount()];
                for (int c = 0; c < values.length; c++) {
                    final Field field = SCHEMA.field(c);
                    values[c] = field.isNullable() && random.nextInt(4) == 0 ? null : value(field.type(), random);
                }
                Rows.append(builder, values, row);
            }
            return builder.build();
        }
    }

    private static Object value(final ColumnType type, final Random random) {
        switch (type) {
            case BOOLEAN:
                return random.nextBoolean();
            case INT32:
                return random.nextInt();
            case INT64:
                return random.nextLong();
            case FLOAT64:
                return random.nextGaussian() * 1e6;
            default:
                return STRINGS[random.nextInt(STRINGS.length)];
        }
    }
}
