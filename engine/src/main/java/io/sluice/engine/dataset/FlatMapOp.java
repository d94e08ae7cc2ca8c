package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * One output row per token of a split UTF8 value: the token, then copies of the kept columns. Tokens are found on
 * the raw bytes and appended from a per-call scratch array, so no object is allocated per row or token.
 */
final class FlatMapOp implements BatchOp {
    private final Split split;
    private final int sourceColumn;
    private final int[] keep;
    private final Schema output;

    FlatMapOp(final Schema input, final Split split, final String as, final List<String> keepColumns) {
        this.split = split;
        split.bindInput(input);
        if (!(split.input() instanceof ColumnRef)) {
            throw new IllegalArgumentException("flatMap splits a column: use withColumn first for " + split.input());
        }
        this.sourceColumn = input.indexOf(((ColumnRef) split.input()).name());
        final List<Field> fields = new ArrayList<>();
        fields.add(Field.notNull(as, ColumnType.UTF8));
        keep = new int[keepColumns.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = input.indexOf(keepColumns.get(i));
            fields.add(input.field(keep[i]));
        }
        this.output = new Schema(fields);
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        return split(input, null, allocator);
    }

    /** Splits only the selected rows, read in place: a filter before a flatMap never copies its rows. */
    @Override
    public Batch apply(final Batch input, final SelectionVector selection, final BufferAllocator allocator) {
        return split(input, selection, allocator);
    }

    private Batch split(final Batch input, final SelectionVector selection, final BufferAllocator allocator) {
        final Utf8Vector text = input.utf8Vector(sourceColumn);
        final ColumnVector[] kept = new ColumnVector[keep.length];
        for (int i = 0; i < keep.length; i++) {
            kept[i] = input.vector(keep[i]);
        }
        final Utf8Rows lines = new Utf8Rows(text, selection);
        int[] bounds = new int[257];
        // Tokens are packed into one on-heap run (bytes + end offsets) and appended to the column in one copy.
        byte[] words = new byte[1024];
        int[] ends = new int[256];
        int tokens = 0;
        int used = 0;
        try (BatchBuilder builder = new BatchBuilder(allocator, output, Math.max(1, lines.candidates() * 4))) {
            while (lines.next()) {
                final int r = lines.row();
                final int len = lines.length();
                final byte[] line = lines.bytes();
                if (len + 1 > bounds.length) {
                    bounds = new int[Math.max(len + 1, bounds.length * 2)];
                }
                if (used + len > words.length) {
                    words = Arrays.copyOf(words, Math.max(used + len, words.length * 2));
                }
                final int found = split.tokenBounds(line, len, bounds);
                if (tokens + found > ends.length) {
                    ends = Arrays.copyOf(ends, Math.max(tokens + found, ends.length * 2));
                }
                for (int t = 0; t < found; t++) {
                    final int start = bounds[2 * t];
                    final int token = bounds[2 * t + 1] - start;
                    System.arraycopy(line, start, words, used, token);
                    used += token;
                    ends[tokens++] = used;
                    for (int c = 0; c < kept.length; c++) {
                        builder.appendValue(c + 1, kept[c], r);
                    }
                }
            }
            builder.appendUtf8Values(0, words, ends, tokens);
            return builder.build();
        }
    }

    Split split() {
        return split;
    }

    int sourceColumn() {
        return sourceColumn;
    }

    /** Whether the output is the token column alone (no kept columns). */
    boolean tokensOnly() {
        return keep.length == 0;
    }

    /** Calls {@link LineageVisitor#flatMap} for this operator over {@code parent}. */
    <R> R accept(final Dataset parent, final LineageVisitor<R> visitor) {
        final List<String> kept = new ArrayList<>();
        for (int i = 1; i < output.fieldCount(); i++) {
            kept.add(output.field(i).name());
        }
        return visitor.flatMap(parent, ((ColumnRef) split.input()).name(), split.delimiters(), output.field(0).name(), kept);
    }
}
