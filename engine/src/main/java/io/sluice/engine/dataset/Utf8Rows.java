package io.sluice.engine.dataset;

import io.sluice.memory.Utf8Vector;

/**
 * A cursor over the non-null values of a UTF8 column at the selected rows (every row without a selection), each
 * copied in turn into one reused on-heap array for operators that scan a value's bytes (split, fused word count).
 * Single-threaded; one per task.
 */
final class Utf8Rows {
    private final Utf8Vector text;
    private final SelectionVector selection;
    private final boolean nullable;
    private final int candidates;
    private int index = -1;
    private int row;
    private int length;
    private byte[] bytes = new byte[256];

    Utf8Rows(final Utf8Vector text, final SelectionVector selection) {
        this.text = text;
        this.selection = selection;
        this.nullable = text.field().isNullable();
        this.candidates = selection == null ? text.rowCount() : selection.size();
    }

    /** Rows this cursor may visit (nulls included): a size hint for outputs. */
    int candidates() {
        return candidates;
    }

    /** Moves to the next selected non-null row and copies its value into {@link #bytes()}; false at the end. */
    boolean next() {
        while (++index < candidates) {
            row = selection == null ? index : selection.row(index);
            if (nullable && text.isNull(row)) {
                continue;
            }
            length = text.length(row);
            if (length > bytes.length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            text.getBytes(row, bytes, 0);
            return true;
        }
        return false;
    }

    /** The current row of the batch. */
    int row() {
        return row;
    }

    /** The current value's length in bytes. */
    int length() {
        return length;
    }

    /** The current value in {@code [0, length())}; the array is reused (and may be replaced) by {@link #next()}. */
    byte[] bytes() {
        return bytes;
    }
}
