package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;

/** An expression type-checked against one schema; evaluates a whole batch at a time. Thread-safe (stateless). */
interface BoundExpr {
    /** The result type. */
    ColumnType type();

    /** Evaluates every row of {@code batch} (which has the bound schema). */
    ColumnValues eval(Batch batch);
}
