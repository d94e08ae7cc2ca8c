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
}
