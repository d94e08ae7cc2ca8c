package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** Keeps the rows where a BOOLEAN predicate is true; evaluates the predicate a column at a time. */
final class FilterOp implements BatchOp {
    private final Schema schema;
    private final BoundExpr predicate;
    private final Expr source;

    FilterOp(final Schema schema, final Expr predicate) {
        this.schema = schema;
        this.source = predicate;
        this.predicate = predicate.bind(schema);
        if (this.predicate.type() != ColumnType.BOOLEAN) {
            throw new IllegalArgumentException("filter needs a BOOLEAN predicate: " + predicate + " has type="
                + this.predicate.type());
        }
    }

    @Override
    public Schema outputSchema() {
        return schema;
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        final ColumnValues keep = predicate.eval(input);
        int selected = 0;
        for (int r = 0; r < keep.size; r++) {
            if (kept(keep, r)) {
                selected++;
            }
        }
        if (selected == input.rowCount()) {
            // Nothing filtered: share the buffers instead of copying.
            return input.slice(0, input.rowCount());
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, selected)) {
            // Copy each run of kept rows in bulk: one memcpy per column per run instead of one per value.
            int r = 0;
            while (r < keep.size) {
                if (!kept(keep, r)) {
                    r++;
                    continue;
                }
                int end = r + 1;
                while (end < keep.size && kept(keep, end)) {
                    end++;
                }
                builder.appendRows(input, r, end - r);
                r = end;
            }
            return builder.build();
        }
    }

    /** Three-valued logic: a null predicate drops the row like false. */
    private static boolean kept(final ColumnValues keep, final int row) {
        return keep.bools[row] && !keep.isNull(row);
    }

    /** The predicate as given (for {@link LineageVisitor}). */
    Expr predicate() {
        return source;
    }
}
