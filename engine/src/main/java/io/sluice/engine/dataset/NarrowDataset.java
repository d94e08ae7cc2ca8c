package io.sluice.engine.dataset;

import io.sluice.memory.Schema;

/** A parent plus a narrow operator; runs fused into the stage of its nearest non-narrow ancestor. */
final class NarrowDataset extends Dataset {
    private final Dataset parent;
    private final BatchOp op;

    NarrowDataset(final Dataset parent, final BatchOp op) {
        super(parent.ctx);
        this.parent = parent;
        this.op = op;
    }

    Dataset parent() {
        return parent;
    }

    BatchOp op() {
        return op;
    }

    @Override
    public Schema schema() {
        return op.outputSchema();
    }

    @Override
    public int numPartitions() {
        return parent.numPartitions();
    }

    @Override
    StageInput openInput(final int[] parts) {
        throw new IllegalStateException("a narrow node is fused into its parent's stage, it has no input of its own");
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        if (op instanceof FilterOp) {
            return visitor.filter(parent, ((FilterOp) op).predicate());
        } else if (op instanceof ProjectOp) {
            return visitor.project(parent, ((ProjectOp) op).exprs());
        } else if (op instanceof FlatMapOp) {
            return ((FlatMapOp) op).accept(parent, visitor);
        } else if (op instanceof AggregateOp && ((AggregateOp) op).isFinal()) {
            // GroupedDataset.agg's shape: final aggregate <- exchange (or gather) <- partial aggregate <- input.
            final AggPlan plan = ((AggregateOp) op).plan();
            final Dataset gathered = parent instanceof ExchangeDataset ? ((ExchangeDataset) parent).parent()
                : parent instanceof SortDataset ? ((SortDataset) parent).parent() : null;
            if (gathered instanceof NarrowDataset && ((NarrowDataset) gathered).op() instanceof AggregateOp) {
                return visitor.aggregate(((NarrowDataset) gathered).parent(), plan.keyNames(), plan.aggs());
            }
        }
        return visitor.unsupported(this);
    }
}
