package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.MutableDirectBuffer;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileDescriptor;
import io.sluice.memory.BitRuns;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;

/**
 * Computes one output column per expression. Plain column references, and aliases of them, are not copied: their
 * buffers are shared with the input ({@link Batch#share}), so only the computed columns are written; a projection of
 * every column in order under its own field (a pass-through) is a view of the input batch. An alias's field is
 * nullable, as for any computed column: a not-null input column shared under it gets an all-valid bitmap. Literals
 * are filled in bulk, not row by row.
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
    /**
     * Every computed column is a literal or a fixed-width {@link BoundExpr#inPlace} expression: written straight
     * off-heap.
     */
    private final boolean computedInPlace;
    /** The literal of each output column that is one (aliased or not), else null: filled in bulk. */
    private final Literal[] literals;

    ProjectOp(final Schema input, final List<Expr> exprs) {
        this.exprs = List.copyOf(exprs);
        final List<Field> fields = new ArrayList<>(exprs.size());
        bound = new BoundExpr[exprs.size()];
        passThrough = new int[exprs.size()];
        literals = new Literal[exprs.size()];
        for (int i = 0; i < exprs.size(); i++) {
            final Expr e = exprs.get(i);
            final String name = e.outputName();
            if (name == null) {
                throw new IllegalArgumentException("select expression " + e + " at index=" + i + " needs a name: use .as(name)");
            }
            bound[i] = e.bind(input);
            final Expr inner = e instanceof Alias ? ((Alias) e).inner() : e;
            if (inner instanceof ColumnRef) {
                final int index = input.indexOf(((ColumnRef) inner).name());
                passThrough[i] = index;
                // an alias keeps the nullable field a computed column has (schemas, and unions of them, unchanged)
                fields.add(e instanceof Alias ? Field.nullable(name, bound[i].type()) : input.field(index));
            } else {
                literals[i] = inner instanceof Literal ? (Literal) inner : null;
                passThrough[i] = -1;
                fields.add(Field.nullable(name, bound[i].type()));
            }
        }
        this.output = new Schema(fields);
        boolean same = exprs.size() == input.fieldCount();
        for (int i = 0; same && i < passThrough.length; i++) {
            same = passThrough[i] == i && fields.get(i).equals(input.field(i));
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
            inPlace &= literals[c] != null
                || bound[c].inPlace() && (type == ColumnType.INT32 || type == ColumnType.INT64 || type == ColumnType.FLOAT64);
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
            return bound.length == 0 ? evaluate(input, allocator) : Batch.share(output, sameSource(input), passThrough, allocator);
        }
        final Batch values = computedInPlace ? evaluateInPlace(input, allocator) : evaluate(input, allocator);
        try {
            final Batch[] sources = sameSource(input);
            final int[] columns = passThrough.clone();
            for (int k = 0; k < computedAt.length; k++) {
                sources[computedAt[k]] = values;
                columns[computedAt[k]] = k;
            }
            return Batch.share(output, sources, columns, allocator);
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
     * The computed columns alone, each written straight into a new off-heap column (no heap copy, no builder): a
     * literal filled in bulk, any other by its in-place reader (every row valid: the fields are nullable, the values
     * never null).
     */
    private Batch evaluateInPlace(final Batch input, final BufferAllocator allocator) {
        final int n = input.rowCount();
        final int columns = computedAt.length;
        final OffHeapBuffer[] validity = new OffHeapBuffer[columns];
        final OffHeapBuffer[] offsets = new OffHeapBuffer[columns];
        final OffHeapBuffer[] data = new OffHeapBuffer[columns];
        boolean built = false;
        try {
            for (int k = 0; k < columns; k++) {
                final Literal literal = literals[computedAt[k]];
                if (literal != null) {
                    fillLiteral(literal, n, allocator, validity, offsets, data, k);
                    continue;
                }
                final BoundExpr e = bound[computedAt[k]];
                final long bitmap = BatchFileDescriptor.bitmapLength(n);
                validity[k] = allocator.allocate(bitmap);
                BitRuns.setRange(validity[k].buffer(), 0, n);
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
            final Batch batch = ColumnBuffers.wrap(computed, n, validity, offsets, data);
            built = true;
            return batch;
        } finally {
            if (!built) {
                for (int k = 0; k < columns; k++) {
                    releaseIfHeld(validity[k]);
                    releaseIfHeld(offsets[k]);
                    releaseIfHeld(data[k]);
                }
            }
        }
    }

    /**
     * Column {@code k} of {@code rows} rows, every one {@code literal}: a null literal is the zeroed buffers (no bit
     * valid, zero values and offsets), any other is filled in bulk (the value's bytes doubled across the column, UTF8
     * offsets {@code row * length}).
     */
    private static void fillLiteral(final Literal literal, final int rows, final BufferAllocator allocator,
                                    final OffHeapBuffer[] validity, final OffHeapBuffer[] offsets, final OffHeapBuffer[] data,
                                    final int k) {
        final ColumnType type = literal.type();
        final Object value = literal.value();
        validity[k] = allocator.allocate(BatchFileDescriptor.bitmapLength(rows));
        if (type == ColumnType.UTF8) {
            final byte[] utf8 = value == null ? new byte[0] : literal.utf8();
            final long length = (long) utf8.length * rows;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("literal " + literal + " of " + utf8.length + " bytes repeated for rows="
                    + rows + " is " + length + " bytes, over a column's limit of " + Integer.MAX_VALUE);
            }
            offsets[k] = allocator.allocate((rows + 1L) * Integer.BYTES);
            data[k] = allocator.allocate(length);
            if (utf8.length > 0) {
                final MutableDirectBuffer out = offsets[k].buffer();
                for (int r = 1; r <= rows; r++) {
                    out.putInt(r << 2, r * utf8.length);
                }
                data[k].buffer().putBytes(0, utf8);
                repeat(data[k].buffer(), utf8.length, (int) length);
            }
        } else {
            final Field field = Field.nullable("literal", type);
            data[k] = allocator.allocate(BatchFileDescriptor.fixedDataLength(field, rows));
            final MutableDirectBuffer out = data[k].buffer();
            if (type == ColumnType.BOOLEAN) {
                if (Boolean.TRUE.equals(value)) {
                    BitRuns.setRange(out, 0, rows);
                }
            } else if (value != null && rows > 0) {
                if (type == ColumnType.INT32) {
                    out.putInt(0, ((Number) value).intValue());
                } else if (type == ColumnType.INT64) {
                    out.putLong(0, ((Number) value).longValue());
                } else {
                    out.putDouble(0, ((Number) value).doubleValue());
                }
                repeat(out, type.byteWidth(), rows * type.byteWidth());
            }
        }
        if (value != null) {
            BitRuns.setRange(validity[k].buffer(), 0, rows);
        }
    }

    /** Copies {@code out}'s first {@code unit} bytes over {@code [unit, length)}, doubling the written run each step. */
    private static void repeat(final MutableDirectBuffer out, final int unit, final int length) {
        for (int filled = unit; filled < length; filled += Math.min(filled, length - filled)) {
            out.putBytes(filled, out, 0, Math.min(filled, length - filled));
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
