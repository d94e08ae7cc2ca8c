package io.sluice.engine.stream.state;

/**
 * The fold of a {@link LongColumnsState}: called once per input row with a {@link LongColumnsRow} cursor over the
 * row's key and INT64 values and its key's INT64 state columns, which it reads and writes in place; returns what
 * becomes of the row: {@link #KEEP}, {@link #EMIT} or {@link #DEFER}. Runs on the updating thread; must not keep the
 * cursor, nor call the state it folds into.
 */
@FunctionalInterface
public interface LongColumnsFold {
    /** The state as the fold left it is kept; no row out. */
    int KEEP = 0;
    /** As {@link #KEEP}, and the output row the fold wrote ({@link LongColumnsRow#out}, every column) goes out. */
    int EMIT = 1;
    /**
     * The row waits and is folded again after the rest of its batch time's rows, then after each later batch time's
     * rows, until it is not deferred (a join's row whose partner has not arrived). A key not held yet is not entered
     * (whatever the fold wrote is dropped); a held key keeps what the fold wrote, and its update time.
     */
    int DEFER = 2;

    /** Folds the row under {@code row}; returns {@link #KEEP}, {@link #EMIT} or {@link #DEFER}. */
    int apply(LongColumnsRow row);
}
