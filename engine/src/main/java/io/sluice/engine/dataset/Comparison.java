package io.sluice.engine.dataset;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * A comparison giving BOOLEAN, null if either side is null. Numeric types compare by value (as doubles if either is
 * FLOAT64), UTF8 by unsigned bytes, BOOLEAN with false &lt; true.
 */
final class Comparison extends Expr {
    enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(final String symbol) {
            this.symbol = symbol;
        }

        boolean test(final int cmp) {
            switch (this) {
                case EQ:
                    return cmp == 0;
                case NE:
                    return cmp != 0;
                case LT:
                    return cmp < 0;
                case LE:
                    return cmp <= 0;
                case GT:
                    return cmp > 0;
                default:
                    return cmp >= 0;
            }
        }
    }

    private final Op op;
    private final Expr left;
    private final Expr right;

    Comparison(final Op op, final Expr left, final Expr right) {
        this.op = op;
        this.left = left;
        this.right = right;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr l = left.bind(schema);
        final BoundExpr r = right.bind(schema);
        final boolean numeric = isNumeric(l.type()) && isNumeric(r.type());
        if (!numeric && l.type() != r.type()) {
            throw new IllegalArgumentException("cannot compare " + left + " of type=" + l.type() + " with " + right
                + " of type=" + r.type() + " in " + this);
        }
        final boolean asDouble = l.type() == ColumnType.FLOAT64 || r.type() == ColumnType.FLOAT64;
        final ColumnType kind = l.type();
        return BoundExpr.of(ColumnType.BOOLEAN, batch -> {
            final ColumnValues a = l.eval(batch);
            final ColumnValues b = r.eval(batch);
            final int n = batch.rowCount();
            final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, n);
            for (int row = 0; row < n; row++) {
                if (a.isNull(row) || b.isNull(row)) {
                    out.setNull(row);
                    continue;
                }
                final int cmp;
                if (numeric) {
                    // + 0.0 turns -0.0 into 0.0 (equal in SQL); NaN stays greater than every number.
                    cmp = asDouble ? Double.compare(a.asDouble(row) + 0.0, b.asDouble(row) + 0.0)
                        : Long.compare(a.longs[row], b.longs[row]);
                } else if (kind == ColumnType.BOOLEAN) {
                    cmp = Boolean.compare(a.bools[row], b.bools[row]);
                } else {
                    cmp = compareBytes(a, b, row);
                }
                out.bools[row] = op.test(cmp);
            }
            return out;
        });
    }

    static int compareBytes(final ColumnValues a, final ColumnValues b, final int row) {
        final int aFrom = a.offsets[row];
        final int bFrom = b.offsets[row];
        final int aLen = a.utf8Length(row);
        final int bLen = b.utf8Length(row);
        final int common = Math.min(aLen, bLen);
        for (int i = 0; i < common; i++) {
            final int cmp = Integer.compare(a.bytes[aFrom + i] & 0xFF, b.bytes[bFrom + i] & 0xFF);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(aLen, bLen);
    }

    @Override
    public String toString() {
        return "(" + left + " " + op.symbol + " " + right + ")";
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.comparison(op.name(), left, right);
    }
}
