package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * Keeps the rows where a BOOLEAN predicate is true. In a chain of operators it only narrows a
 * {@link SelectionVector} ({@link #select}); the rows are copied once, by whichever consumer needs dense input.
 */
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
        return select(input, null).materialize(input, allocator);
    }

    /** The rows of {@code in} (every row when null) that pass the predicate; a null predicate drops the row. */
    SelectionVector select(final Batch input, final SelectionVector in) {
        return predicate.select(input, in);
    }

    /** The predicate as given (for {@link LineageVisitor}). */
    Expr predicate() {
        return source;
    }
}
