package io.sluice.engine.dataset;

import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** AND, OR and NOT over BOOLEAN operands with SQL three-valued logic (null means unknown). */
final class Logical extends Expr {
    enum Op {
        AND, OR, NOT
    }

    private final Op op;
    private final Expr left;
    private final Expr right;

    Logical(final Op op, final Expr left, final Expr right) {
        this.op = op;
        this.left = left;
        this.right = right;
    }

    private static BoundExpr bindBoolean(final Expr expr, final Schema schema, final Logical parent) {
        final BoundExpr bound = expr.bind(schema);
        if (bound.type() != ColumnType.BOOLEAN) {
            throw new IllegalArgumentException(parent.op + " needs BOOLEAN operands: " + expr + " has type=" + bound.type()
                + " in " + parent);
        }
        return bound;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr l = bindBoolean(left, schema, this);
        final BoundExpr r = op == Op.NOT ? null : bindBoolean(right, schema, this);
        final Function<Batch, ColumnValues> eval = batch -> {
            final ColumnValues a = l.eval(batch);
            final int n = batch.rowCount();
            final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, n);
            if (op == Op.NOT) {
                for (int row = 0; row < n; row++) {
                    if (a.isNull(row)) {
                        out.setNull(row);
                    } else {
                        out.bools[row] = !a.bools[row];
                    }
                }
                return out;
            }
            final ColumnValues b = r.eval(batch);
            // The dominant value decides regardless of nulls: false for AND, true for OR.
            final boolean dominant = op == Op.OR;
            for (int row = 0; row < n; row++) {
                final boolean aNull = a.isNull(row);
                final boolean bNull = b.isNull(row);
                if ((!aNull && a.bools[row] == dominant) || (!bNull && b.bools[row] == dominant)) {
                    out.bools[row] = dominant;
                } else if (aNull || bNull) {
                    out.setNull(row);
                } else {
                    out.bools[row] = !dominant;
                }
            }
            return out;
        };
        if (op != Op.AND) {
            return BoundExpr.of(ColumnType.BOOLEAN, eval);
        }
        // A row passes AND exactly when both sides are true: the right side tests only the left side's survivors.
        return BoundExpr.selecting(eval, (batch, in) -> r.select(batch, l.select(batch, in)));
    }

    @Override
    public String toString() {
        return op == Op.NOT ? "(NOT " + left + ")" : "(" + left + " " + op + " " + right + ")";
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.logical(op.name(), left, right);
    }
}
