package io.sluice.engine.dataset;

import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * Binary arithmetic on numeric columns. Result FLOAT64 if either side is FLOAT64, INT64 if either is INT64, else
 * INT32 (wrapping). Null if either side is null; integer division or remainder by zero gives null. The remainder
 * has the sign of the dividend (as in Java and SQL).
 */
final class Arithmetic extends Expr {
    enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%");

        final String symbol;

        Op(final String symbol) {
            this.symbol = symbol;
        }
    }

    private final Op op;
    private final Expr left;
    private final Expr right;

    Arithmetic(final Op op, final Expr left, final Expr right) {
        this.op = op;
        this.left = left;
        this.right = right;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr l = left.bind(schema);
        final BoundExpr r = right.bind(schema);
        if (!isNumeric(l.type()) || !isNumeric(r.type())) {
            throw new IllegalArgumentException("operator '" + op.symbol + "' needs numeric operands: " + left + " has type="
                + l.type() + ", " + right + " has type=" + r.type() + " in " + this);
        }
        final ColumnType type = l.type() == ColumnType.FLOAT64 || r.type() == ColumnType.FLOAT64 ? ColumnType.FLOAT64
            : l.type() == ColumnType.INT64 || r.type() == ColumnType.INT64 ? ColumnType.INT64 : ColumnType.INT32;
        final Function<Batch, ColumnValues> eval = batch -> {
            final ColumnValues a = l.eval(batch);
            final ColumnValues b = r.eval(batch);
            final int n = batch.rowCount();
            final ColumnValues out = new ColumnValues(type, n);
            for (int row = 0; row < n; row++) {
                if (a.isNull(row) || b.isNull(row)) {
                    out.setNull(row);
                } else if (type == ColumnType.FLOAT64) {
                    out.doubles[row] = applyDouble(a.asDouble(row), b.asDouble(row));
                } else if ((op == Op.DIV || op == Op.MOD) && b.longs[row] == 0) {
                    out.setNull(row);
                } else {
                    final long v = applyLong(a.longs[row], b.longs[row]);
                    out.longs[row] = type == ColumnType.INT32 ? (int) v : v;
                }
            }
            return out;
        };
        final Number divisor = right instanceof Literal ? ((Literal) right).number() : null;
        final boolean neverNull = type == ColumnType.FLOAT64 || op != Op.DIV && op != Op.MOD
            || divisor != null && divisor.longValue() != 0;
        if (!l.inPlace() || !r.inPlace() || !neverNull) {
            return BoundExpr.of(type, eval);
        }
        return new Computed(type, eval, l, r);
    }

    /**
     * The arithmetic of two {@link BoundExpr#inPlace} operands that is never null (FLOAT64, or an integer operation
     * other than division and remainder, or those by a non-zero literal), itself read in place: one reader per
     * operator, so a row costs the operands' reads and the operation.
     */
    private final class Computed extends BoundExpr.InPlace {
        private final BoundExpr l;
        private final BoundExpr r;

        Computed(final ColumnType type, final Function<Batch, ColumnValues> eval, final BoundExpr l, final BoundExpr r) {
            super(type, eval, Arithmetic.this);
            this.l = l;
            this.r = r;
        }

        @Override
        public LongRows longRows(final Batch batch) {
            if (type() == ColumnType.FLOAT64) {
                return super.longRows(batch);
            }
            final LongRows a = l.longRows(batch);
            final LongRows b = r.longRows(batch);
            final LongRows rows;
            switch (op) {
                case ADD:
                    rows = row -> a.get(row) + b.get(row);
                    break;
                case SUB:
                    rows = row -> a.get(row) - b.get(row);
                    break;
                case MUL:
                    rows = row -> a.get(row) * b.get(row);
                    break;
                case MOD:
                    rows = row -> a.get(row) % b.get(row);
                    break;
                default:
                    rows = row -> a.get(row) / b.get(row);
                    break;
            }
            return type() == ColumnType.INT32 ? row -> (int) rows.get(row) : rows;
        }

        @Override
        public DoubleRows doubleRows(final Batch batch) {
            if (type() != ColumnType.FLOAT64) {
                return super.doubleRows(batch);
            }
            final DoubleRows a = l.doubleRows(batch);
            final DoubleRows b = r.doubleRows(batch);
            switch (op) {
                case ADD:
                    return row -> a.get(row) + b.get(row);
                case SUB:
                    return row -> a.get(row) - b.get(row);
                case MUL:
                    return row -> a.get(row) * b.get(row);
                case MOD:
                    return row -> a.get(row) % b.get(row);
                default:
                    return row -> a.get(row) / b.get(row);
            }
        }
    }

    private long applyLong(final long a, final long b) {
        switch (op) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case MOD:
                return a % b;
            default:
                return a / b;
        }
    }

    private double applyDouble(final double a, final double b) {
        switch (op) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case MOD:
                return a % b;
            default:
                return a / b;
        }
    }

    @Override
    public String toString() {
        return "(" + left + " " + op.symbol + " " + right + ")";
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.arithmetic(op.name(), left, right);
    }
}
