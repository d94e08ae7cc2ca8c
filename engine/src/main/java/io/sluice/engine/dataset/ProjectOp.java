package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Computes one output column per expression. Plain column references are not copied: their buffers are shared
 * with the input ({@link Batch#share}), so only the computed columns are written; a projection of every column in
 * order (a pass-through) is a view of the input batch.
 */
final class ProjectOp implements BatchOp {
    private final Schema output;
    private final BoundExpr[] bound;
    /** Input column index for a plain column reference, else -1. */
    private final int[] passThrough;
    /** Every input column, each a plain reference at its own index: the output is the input, shared. */
    private final boolean identity;
    private final List<Expr> exprs;
    /** The computed (non pass-through) columns, in output order; null when every column is a reference. */
    private final Schema computed;
    /** Output column index of each computed column. */
    private final int[] computedAt;

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
        final List<Field> computedFields = new ArrayList<>();
        final List<Integer> at = new ArrayList<>();
        for (int i = 0; i < passThrough.length; i++) {
            if (passThrough[i] < 0) {
                computedFields.add(fields.get(i));
                at.add(i);
            }
        }
        this.computed = computedFields.isEmpty() ? null : new Schema(computedFields);
        this.computedAt = at.stream().mapToInt(Integer::intValue).toArray();
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
        if (computed == null) {
            return bound.length == 0 ? evaluate(input, allocator) : Batch.share(output, sameSource(input), passThrough);
        }
        final Batch values = evaluate(input, allocator);
        try {
            final Batch[] sources = sameSource(input);
            final int[] columns = passThrough.clone();
            for (int k = 0; k < computedAt.length; k++) {
                sources[computedAt[k]] = values;
                columns[computedAt[k]] = k;
            }
            return Batch.share(output, sources, columns);
        } finally {
            values.release();
        }
    }

    private Batch[] sameSource(final Batch input) {
        final Batch[] sources = new Batch[bound.length];
        Arrays.fill(sources, input);
        return sources;
    }

    /** The computed columns alone, one batch of {@link #computed}'s schema (of no column when there is none). */
    private Batch evaluate(final Batch input, final BufferAllocator allocator) {
        final int n = input.rowCount();
        final ColumnValues[] values = new ColumnValues[computedAt.length];
        for (int k = 0; k < computedAt.length; k++) {
            values[k] = bound[computedAt[k]].eval(input);
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, computed == null ? output : computed, n)) {
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < values.length; k++) {
                    values[k].appendTo(builder, k, r);
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
