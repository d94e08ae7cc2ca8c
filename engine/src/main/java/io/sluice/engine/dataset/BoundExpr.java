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
}
