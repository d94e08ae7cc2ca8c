package io.sluice.engine.dataset;

/** Kinds of hash join. */
public enum JoinType {
    /** Rows of the left side with at least one match, once per match. */
    INNER,
    /** Every left row; unmatched ones once, with nulls in the right side's columns. */
    LEFT
}
