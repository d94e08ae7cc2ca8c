package io.sluice.engine.dataset;

import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
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

        /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
        Op flip() {
            switch (this) {
                case LT:
                    return GT;
                case LE:
                    return GE;
                case GT:
                    return LT;
                case GE:
                    return LE;
                default:
                    return this;
            }
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
        final Function<Batch, ColumnValues> eval = batch -> {
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
        };
        if (numeric && left instanceof ColumnRef && right instanceof Literal && ((Literal) right).value() != null) {
            return columnVsScalar(schema, (ColumnRef) left, op, (Number) ((Literal) right).value(), asDouble, eval);
        }
        if (numeric && right instanceof ColumnRef && left instanceof Literal && ((Literal) left).value() != null) {
            return columnVsScalar(schema, (ColumnRef) right, op.flip(), (Number) ((Literal) left).value(), asDouble, eval);
        }
        if (numeric && l.inPlace() && r.inPlace()) {
            return inPlace(l, r, op, asDouble, eval);
        }
        return BoundExpr.of(ColumnType.BOOLEAN, eval);
    }

    /**
     * Two never-null numeric operands read in place ({@link BoundExpr#inPlace}, such as {@code a % 123 = 0}): a filter
     * tests only its candidate rows, with no operand column and no boolean column built.
     */
    private static BoundExpr inPlace(final BoundExpr l, final BoundExpr r, final Op op, final boolean asDouble,
                                     final Function<Batch, ColumnValues> eval) {
        return BoundExpr.predicate(eval, batch -> {
            if (asDouble) {
                final BoundExpr.DoubleRows a = l.doubleRows(batch);
                final BoundExpr.DoubleRows b = r.doubleRows(batch);
                return row -> op.test(Double.compare(a.get(row) + 0.0, b.get(row) + 0.0));
            }
            final BoundExpr.LongRows a = l.longRows(batch);
            final BoundExpr.LongRows b = r.longRows(batch);
            return row -> op.test(Long.compare(a.get(row), b.get(row)));
        });
    }

    /**
     * A numeric column against a literal kept as one scalar: a filter tests only its candidate rows, reading the
     * column in place with a loop specialised to the column's type (no column of the literal, no boolean column).
     */
    private static BoundExpr columnVsScalar(final Schema schema, final ColumnRef column, final Op op, final Number scalar,
                                            final boolean asDouble, final Function<Batch, ColumnValues> eval) {
        final int index = schema.indexOf(column.name());
        final ColumnType type = schema.field(index).type();
        final boolean nullable = schema.field(index).isNullable();
        final long x = scalar.longValue();
        // + 0.0 turns -0.0 into 0.0, as the general path does: -0.0 equals 0.0 in SQL (and in Spark).
        final double d = scalar.doubleValue() + 0.0;
        return BoundExpr.predicate(eval, batch -> {
            final BoundExpr.RowTest test;
            if (type == ColumnType.FLOAT64) {
                final Float64Vector v = batch.float64Vector(index);
                test = row -> op.test(Double.compare(v.get(row) + 0.0, d));
            } else if (asDouble) {
                final ColumnVector v = batch.vector(index);
                test = type == ColumnType.INT64
                    ? row -> op.test(Double.compare(((Int64Vector) v).get(row), d))
                    : row -> op.test(Double.compare(((Int32Vector) v).get(row), d));
            } else if (type == ColumnType.INT64) {
                final Int64Vector v = batch.int64Vector(index);
                test = row -> op.test(Long.compare(v.get(row), x));
            } else {
                final Int32Vector v = batch.int32Vector(index);
                test = row -> op.test(Long.compare(v.get(row), x));
            }
            if (!nullable) {
                return test;
            }
            final ColumnVector v = batch.vector(index);
            return row -> !v.isNull(row) && test.test(row);
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
