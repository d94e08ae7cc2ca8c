package io.sluice.engine.dataset;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** Tokenizes a UTF8 expression at ASCII delimiter characters; consumed by {@link FlatMapOp}, not evaluable alone. */
final class Split extends Expr {
    private final Expr input;
    /** Delimiter bytes 0-63 and 64-127 as bit masks. */
    private final long low;
    private final long high;
    private final String delimiters;

    Split(final Expr input, final String delimiters) {
        this.input = input;
        this.delimiters = delimiters;
        if (delimiters.isEmpty()) {
            throw new IllegalArgumentException("split of " + input + " needs at least one delimiter");
        }
        long lowBits = 0;
        long highBits = 0;
        for (int i = 0; i < delimiters.length(); i++) {
            final char c = delimiters.charAt(i);
            if (c >= 128) {
                throw new IllegalArgumentException("split delimiter '" + c + "' at index=" + i + " is not ASCII");
            }
            if (c < 64) {
                lowBits |= 1L << c;
            } else {
                highBits |= 1L << c;
            }
        }
        low = lowBits;
        high = highBits;
    }

    Expr input() {
        return input;
    }

    /** Whether the byte is a delimiter; bytes of multi-byte UTF-8 sequences never are. */
    boolean isDelimiter(final byte b) {
        // Two 64-bit masks instead of a table: no load and no array bounds check per byte (a shift uses b's low 6 bits).
        return b >= 0 && ((b < 64 ? low : high) >>> b & 1L) != 0;
    }

    /**
     * Finds the tokens of {@code line[0, length)}: token {@code t} is {@code [bounds[2t], bounds[2t + 1])}; returns
     * how many. Empty tokens (from leading, trailing or repeated delimiters) are skipped. {@code bounds} must hold at
     * least {@code length + 1} ints (the most tokens a line of that length can have, two ints each).
     */
    int tokenBounds(final byte[] line, final int length, final int[] bounds) {
        int tokens = 0;
        int start = -1;
        for (int b = 0; b < length; b++) {
            if (isDelimiter(line[b])) {
                if (start >= 0) {
                    bounds[2 * tokens] = start;
                    bounds[2 * tokens++ + 1] = b;
                    start = -1;
                }
            } else if (start < 0) {
                start = b;
            }
        }
        if (start >= 0) {
            bounds[2 * tokens] = start;
            bounds[2 * tokens++ + 1] = length;
        }
        return tokens;
    }

    /** Binds the input and checks it is UTF8. */
    BoundExpr bindInput(final Schema schema) {
        final BoundExpr bound = input.bind(schema);
        if (bound.type() != ColumnType.UTF8) {
            throw new IllegalArgumentException("split needs a UTF8 operand: " + input + " has type=" + bound.type());
        }
        return bound;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        throw new IllegalArgumentException(this + " produces many rows per row: use it only in Dataset.flatMap");
    }

    @Override
    public String toString() {
        return "split(" + input + ", '" + delimiters + "')";
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.split(input, delimiters);
    }

    String delimiters() {
        return delimiters;
    }
}
