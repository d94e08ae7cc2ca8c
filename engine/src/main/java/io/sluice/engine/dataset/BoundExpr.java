package io.sluice.engine.dataset;

import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;

/** An expression type-checked against one schema; evaluates a whole batch at a time. Thread-safe (stateless). */
interface BoundExpr {
    /** The result type. */
    ColumnType type();

    /** Evaluates every row of {@code batch} (which has the bound schema). */
    ColumnValues eval(Batch batch);

    /**
     * For a BOOLEAN expression: the rows of {@code in} (every row of {@code batch} when null) where it is true;
     * false and null rows are dropped. The default evaluates every row; predicates that can test only the candidate
     * rows, in place, override it.
     */
    default SelectionVector select(final Batch batch, final SelectionVector in) {
        final ColumnValues keep = eval(batch);
        final int candidates = in == null ? batch.rowCount() : in.size();
        final int[] rows = new int[candidates];
        int size = 0;
        for (int i = 0; i < candidates; i++) {
            final int row = in == null ? i : in.row(i);
            if (keep.bools[row] && !keep.isNull(row)) {
                rows[size++] = row;
            }
        }
        return SelectionVector.of(rows, size);
    }

    /**
     * Whether {@link #longRows} / {@link #doubleRows} read this expression's value of any row in place, from the
     * batch's vectors without building a column: a numeric expression that is never null, over not-null columns and
     * literals. Decided at bind time, so the same for every batch.
     */
    default boolean inPlace() {
        return false;
    }

    /** For an {@link #inPlace} INT32 or INT64 expression: a reader of its rows in {@code batch} (valid while it is retained). */
    default LongRows longRows(final Batch batch) {
        throw new UnsupportedOperationException(this + " of type=" + type() + " is not read in place as integers");
    }

    /**
     * For an {@link #inPlace} expression: a reader of its rows in {@code batch} as doubles (integers converted), valid
     * while the batch is retained.
     */
    default DoubleRows doubleRows(final Batch batch) {
        final LongRows longs = longRows(batch);
        return row -> longs.get(row);
    }

    /**
     * The shared part of an {@link #inPlace} expression: its type, its general evaluation and its description;
     * subclasses give the readers.
     */
    abstract class InPlace implements BoundExpr {
        private final ColumnType type;
        private final Function<Batch, ColumnValues> eval;
        private final Object description;

        InPlace(final ColumnType type, final Function<Batch, ColumnValues> eval, final Object description) {
            this.type = type;
            this.eval = eval;
            this.description = description;
        }

        @Override
        public final ColumnType type() {
            return type;
        }

        @Override
        public final ColumnValues eval(final Batch batch) {
            return eval.apply(batch);
        }

        @Override
        public final boolean inPlace() {
            return true;
        }

        @Override
        public final String toString() {
            return String.valueOf(description);
        }
    }

    /** One row's integer value, read in place; bound to one batch. */
    @FunctionalInterface
    interface LongRows {
        long get(int row);
    }

    /** One row's FLOAT64 value, read in place; bound to one batch. */
    @FunctionalInterface
    interface DoubleRows {
        double get(int row);
    }

    /** A bound expression of {@code type} whose evaluation is {@code eval} (which must be stateless). */
    static BoundExpr of(final ColumnType type, final Function<Batch, ColumnValues> eval) {
        return new BoundExpr() {
            @Override
            public ColumnType type() {
                return type;
            }

            @Override
            public ColumnValues eval(final Batch batch) {
                return eval.apply(batch);
            }
        };
    }

    /** Tests one candidate row of a batch, in place; for {@link #predicate}. */
    @FunctionalInterface
    interface RowTest {
        /** Whether row {@code row} is true (false for a null row). */
        boolean test(int row);
    }

    /** Binds a {@link RowTest} to one batch (reading its vectors once); stateless. */
    @FunctionalInterface
    interface RowTester {
        RowTest bind(Batch batch);
    }

    /** Picks the rows of a selection (every row when null) where a predicate is true; for {@link #selecting}. */
    @FunctionalInterface
    interface Selector {
        SelectionVector select(Batch batch, SelectionVector in);
    }

    /** A BOOLEAN expression evaluated by {@code eval} whose filter selection is {@code selector} (both stateless). */
    static BoundExpr selecting(final Function<Batch, ColumnValues> eval, final Selector selector) {
        return new BoundExpr() {
            @Override
            public ColumnType type() {
                return ColumnType.BOOLEAN;
            }

            @Override
            public ColumnValues eval(final Batch batch) {
                return eval.apply(batch);
            }

            @Override
            public SelectionVector select(final Batch batch, final SelectionVector in) {
                return selector.select(batch, in);
            }
        };
    }

    /**
     * A BOOLEAN expression evaluated by {@code eval} that selects rows with {@code tester}: only the candidate rows
     * are tested, in place, and no boolean column is built.
     */
    static BoundExpr predicate(final Function<Batch, ColumnValues> eval, final RowTester tester) {
        return selecting(eval, (batch, in) -> {
            final RowTest test = tester.bind(batch);
            final int candidates = in == null ? batch.rowCount() : in.size();
            final int[] rows = new int[candidates];
            int size = 0;
            if (in == null) {
                for (int row = 0; row < candidates; row++) {
                    if (test.test(row)) {
                        rows[size++] = row;
                    }
                }
            } else {
                for (int i = 0; i < candidates; i++) {
                    final int row = in.row(i);
                    if (test.test(row)) {
                        rows[size++] = row;
                    }
                }
            }
            return SelectionVector.of(rows, size);
        });
    }
}
