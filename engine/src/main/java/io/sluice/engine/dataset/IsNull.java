package io.sluice.engine.dataset;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** IS NULL / IS NOT NULL: never null itself. */
final class IsNull extends Expr {
    private final Expr input;
    private final boolean wantNull;

    IsNull(final Expr input, final boolean wantNull) {
        this.input = input;
        this.wantNull = wantNull;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr in = input.bind(schema);
        return BoundExpr.of(ColumnType.BOOLEAN, batch -> {
            final ColumnValues a = in.eval(batch);
            final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, a.size);
            for (int row = 0; row < a.size; row++) {
                out.bools[row] = a.isNull(row) == wantNull;
            }
            return out;
        });
    }

    @Override
    public String toString() {
        return "(" + input + (wantNull ? " IS NULL)" : " IS NOT NULL)");
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.isNull(input, wantNull);
    }
}
