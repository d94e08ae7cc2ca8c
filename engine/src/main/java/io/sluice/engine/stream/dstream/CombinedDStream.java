package io.sluice.engine.stream.dstream;

import java.util.function.BinaryOperator;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.Schema;

/** Two parents' datasets of the same batch time combined (join, union); none when either parent has none. */
final class CombinedDStream extends DStream {
    private final DStream left;
    private final DStream right;
    private final BinaryOperator<Dataset> fn;
    private final String name;

    CombinedDStream(final DStream left, final DStream right, final String name, final BinaryOperator<Dataset> fn) {
        super(left.graph(), schemaOf(left, right, fn), Math.max(left.slideMillis(), right.slideMillis()));
        if (left.slideMillis() != right.slideMillis()) {
            throw new IllegalArgumentException(name + " needs equal slides: left slide=" + left.slideMillis()
                + "ms right slide=" + right.slideMillis() + "ms");
        }
        this.left = left;
        this.right = right;
        this.fn = fn;
        this.name = name;
    }

    private static Schema schemaOf(final DStream left, final DStream right, final BinaryOperator<Dataset> fn) {
        if (left.graph() != right.graph()) {
            throw new IllegalArgumentException("streams belong to different graphs: " + left + ", " + right);
        }
        return fn.apply(left.graph().empty(left.schema()), right.graph().empty(right.schema())).schema();
    }

    @Override
    Dataset compute(final long batchTime) {
        final Dataset l = left.at(batchTime);
        final Dataset r = right.at(batchTime);
        if (l == null || r == null) {
            return null;
        }
        return fn.apply(l, r);
    }

    @Override
    public String toString() {
        return name + "(" + left + ", " + right + ")";
    }
}
