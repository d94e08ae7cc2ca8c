package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** COALESCE: the first non-null argument per row; null if all are null. */
final class Coalesce extends Expr {
    private final List<Expr> args;

    Coalesce(final List<Expr> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("coalesce needs at least one argument");
        }
        this.args = args;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final List<BoundExpr> bound = new ArrayList<>(args.size());
        ColumnType type = null;
        for (final Expr arg : args) {
            final BoundExpr b = arg.bind(schema);
            bound.add(b);
            if (type == null) {
                type = b.type();
            } else if (type != b.type()) {
                final boolean ints = (type == ColumnType.INT32 || type == ColumnType.INT64)
                    && (b.type() == ColumnType.INT32 || b.type() == ColumnType.INT64);
                if (!ints) {
                    throw new IllegalArgumentException("coalesce arguments must share a type: " + arg + " has type=" + b.type()
                        + ", earlier arguments have type=" + type + " in " + this);
                }
                type = ColumnType.INT64;
            }
        }
        final ColumnType outType = type;
        return BoundExpr.of(outType, batch -> {
            final List<ColumnValues> values = new ArrayList<>(bound.size());
            for (final BoundExpr b : bound) {
                values.add(b.eval(batch));
            }
            final int n = batch.rowCount();
            final ColumnValues out = new ColumnValues(outType, n);
            for (int row = 0; row < n; row++) {
                ColumnValues pick = null;
                for (final ColumnValues v : values) {
                    if (!v.isNull(row)) {
                        pick = v;
                        break;
                    }
                }
                if (pick == null) {
                    out.setNull(row);
                    if (outType == ColumnType.UTF8) {
                        out.reserveUtf8(row, 0);
                    }
                    continue;
                }
                switch (outType) {
                    case INT32:
                    case INT64:
                        out.longs[row] = pick.longs[row];
                        break;
                    case FLOAT64:
                        out.doubles[row] = pick.doubles[row];
                        break;
                    case BOOLEAN:
                        out.bools[row] = pick.bools[row];
                        break;
                    default:
                        out.appendUtf8(row, pick.bytes, pick.offsets[row], pick.utf8Length(row));
                        break;
                }
            }
            return out;
        });
    }

    @Override
    public String toString() {
        return "coalesce" + args;
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.coalesce(args);
    }
}
