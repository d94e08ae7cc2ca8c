package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * Searched CASE: the value of the first branch whose condition is true (not false, not null), else the
 * {@code otherwise} value. Values share one type; integer values widen to INT64, and integers mixed with FLOAT64 widen
 * to FLOAT64. Every branch is evaluated over the whole batch, so a branch must not throw on rows it does not select.
 */
final class CaseWhen extends Expr {
    private final List<Expr> conditions;
    private final List<Expr> values;
    private final Expr otherwise;

    CaseWhen(final List<Expr> conditions, final List<Expr> values, final Expr otherwise) {
        if (conditions.isEmpty() || conditions.size() != values.size()) {
            throw new IllegalArgumentException("caseWhen needs as many values as conditions (> 0): conditions="
                + conditions.size() + " values=" + values.size());
        }
        this.conditions = List.copyOf(conditions);
        this.values = List.copyOf(values);
        this.otherwise = otherwise;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final List<BoundExpr> conds = new ArrayList<>();
        for (final Expr c : conditions) {
            final BoundExpr b = c.bind(schema);
            if (b.type() != ColumnType.BOOLEAN) {
                throw new IllegalArgumentException("CASE condition " + c + " has type=" + b.type() + ", needs BOOLEAN in " + this);
            }
            conds.add(b);
        }
        final List<BoundExpr> vals = new ArrayList<>();
        ColumnType type = null;
        final List<Expr> all = new ArrayList<>(values);
        all.add(otherwise);
        for (final Expr v : all) {
            final BoundExpr b = v.bind(schema);
            vals.add(b);
            type = type == null ? b.type() : common(type, b.type(), v);
        }
        final ColumnType outType = type;
        final int branches = conds.size();
        return BoundExpr.of(outType, batch -> {
            final int n = batch.rowCount();
            final ColumnValues[] c = new ColumnValues[branches];
            for (int i = 0; i < branches; i++) {
                c[i] = conds.get(i).eval(batch);
            }
            final ColumnValues[] v = new ColumnValues[branches + 1];
            for (int i = 0; i <= branches; i++) {
                v[i] = vals.get(i).eval(batch);
            }
            final ColumnValues out = new ColumnValues(outType, n);
            for (int row = 0; row < n; row++) {
                int pick = branches;
                for (int i = 0; i < branches; i++) {
                    if (!c[i].isNull(row) && c[i].bools[row]) {
                        pick = i;
                        break;
                    }
                }
                ColumnValues.copyRow(v[pick], row, out);
            }
            return out;
        });
    }

    private ColumnType common(final ColumnType a, final ColumnType b, final Expr at) {
        if (a == b) {
            return a;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return a == ColumnType.FLOAT64 || b == ColumnType.FLOAT64 ? ColumnType.FLOAT64 : ColumnType.INT64;
        }
        throw new IllegalArgumentException("CASE values must share a type: " + at + " has type=" + b
            + ", earlier values have type=" + a + " in " + this);
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.caseWhen(conditions, values, otherwise);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("CASE");
        for (int i = 0; i < conditions.size(); i++) {
            sb.append(" WHEN ").append(conditions.get(i)).append(" THEN ").append(values.get(i));
        }
        return sb.append(" ELSE ").append(otherwise).append(" END").toString();
    }
}
