package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Computes one output column per expression; plain column references copy values without evaluation. */
final class ProjectOp implements BatchOp {
    private final Schema output;
    private final BoundExpr[] bound;
    /** Input column index for a plain column reference, else -1. */
    private final int[] passThrough;
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
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        final int n = input.rowCount();
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
