package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Computes one output column per expression; plain column references copy values without evaluation, and a
 * projection of every column in order (a pass-through) shares the input batch instead of copying it.
 */
final class ProjectOp implements BatchOp {
    private final Schema output;
    private final BoundExpr[] bound;
    /** Input column index for a plain column reference, else -1. */
    private final int[] passThrough;
    /** Every input column, each a plain reference at its own index: the output is the input, shared. */
    private final boolean identity;
    private final List<Expr> exprs;

    ProjectOp(final Schema input, final List<Expr> exprs) {
        this.exprs = List.copyOf(exprs);
        final List<Field> fields = new ArrayList<>(exprs.size());
        bound = new BoundExpr[exprs.size()];
        passThrough = new int[exprs.size()];
        for (int i = 0; i < exprs.size(); i++) {
            final Expr e = exprs.get(i);
            final String name = e.outputName();
            if (name == null) {
                throw new IllegalArgumentException("select expression " + e + " at index=" + i + " needs a name: use .as(name)");
            }
            bound[i] = e.bind(input);
            final Expr inner = e instanceof Alias ? null : e;
            if (inner instanceof ColumnRef) {
                final int index = input.indexOf(((ColumnRef) inner).name());
                passThrough[i] = index;
                fields.add(input.field(index));
            } else {
                passThrough[i] = -1;
                fields.add(Field.nullable(name, bound[i].type()));
            }
        }
        this.output = new Schema(fields);
        boolean same = exprs.size() == input.fieldCount();
        for (int i = 0; same && i < passThrough.length; i++) {
            same = passThrough[i] == i;
        }
        this.identity = same;
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        final int n = input.rowCount();
        if (identity) {
            // a zero-copy view with its own reference: the caller owns it, the input stays the caller's too
            return input.slice(0, n);
        }
        final ColumnValues[] values = new ColumnValues[bound.length];
        final ColumnVector[] sources = new ColumnVector[bound.length];
        for (int c = 0; c < bound.length; c++) {
            if (passThrough[c] >= 0) {
                sources[c] = input.vector(passThrough[c]);
            } else {
                values[c] = bound[c].eval(input);
            }
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, output, n)) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < bound.length; c++) {
                    if (sources[c] != null) {
                        builder.appendValue(c, sources[c], r);
                    } else {
                        values[c].appendTo(builder, c, r);
                    }
                }
                builder.finishRow(r);
            }
            return builder.build();
        }
    }

    /** The expressions as given (for {@link LineageVisitor}). */
    List<Expr> exprs() {
        return exprs;
    }
}
