package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.MutableDirectBuffer;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileDescriptor;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
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
    /** Every computed column is a fixed-width {@link BoundExpr#inPlace} expression: written straight off-heap. */
    private final boolean computedInPlace;

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
        boolean inPlace = computedAt.length > 0;
        for (final int c : computedAt) {
            final ColumnType type = bound[c].type();
            inPlace &= bound[c].inPlace() && (type == ColumnType.INT32 || type == ColumnType.INT64 || type == ColumnType.FLOAT64);
        }
        this.computedInPlace = inPlace;
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
        final Batch values = computedInPlace ? evaluateInPlace(input, allocator) : evaluate(input, allocator);
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

    /**
     * The computed columns alone, each written straight into a new off-heap column by its in-place reader (no heap
     * copy, no builder); every row is valid (the fields are nullable, the values never null).
     */
    private Batch evaluateInPlace(final Batch input, final BufferAllocator allocator) {
        final int n = input.rowCount();
        final int columns = computedAt.length;
        final OffHeapBuffer[] validity = new OffHeapBuffer[columns];
        final OffHeapBuffer[] data = new OffHeapBuffer[columns];
        boolean built = false;
        try {
            for (int k = 0; k < columns; k++) {
                final BoundExpr e = bound[computedAt[k]];
                final long bitmap = BatchFileDescriptor.bitmapLength(n);
                validity[k] = allocator.allocate(bitmap);
                validity[k].buffer().setMemory(0, (int) bitmap, (byte) 0xFF);
                data[k] = allocator.allocate((long) n * e.type().byteWidth());
                final MutableDirectBuffer out = data[k].buffer();
                if (e.type() == ColumnType.FLOAT64) {
                    final BoundExpr.DoubleRows rows = e.doubleRows(input);
                    for (int r = 0; r < n; r++) {
                        out.putDouble(r << 3, rows.get(r));
                    }
                } else if (e.type() == ColumnType.INT64) {
                    final BoundExpr.LongRows rows = e.longRows(input);
                    for (int r = 0; r < n; r++) {
                        out.putLong(r << 3, rows.get(r));
                    }
                } else {
                    final BoundExpr.LongRows rows = e.longRows(input);
                    for (int r = 0; r < n; r++) {
                        out.putInt(r << 2, (int) rows.get(r));
                    }
                }
            }
            final Batch batch = ColumnBuffers.wrap(computed, n, validity, new OffHeapBuffer[columns], data);
            built = true;
            return batch;
        } finally {
            if (!built) {
                for (int k = 0; k < columns; k++) {
                    releaseIfHeld(validity[k]);
                    releaseIfHeld(data[k]);
                }
            }
        }
    }

    private static void releaseIfHeld(final OffHeapBuffer buffer) {
        if (buffer != null) {
            buffer.release();
        }
    }

    /** The expressions as given (for {@link LineageVisitor}). */
    List<Expr> exprs() {
        return exprs;
    }
}
