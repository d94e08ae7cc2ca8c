package io.sluice.engine.stream.dstream;

import io.sluice.engine.dataset.Dataset;

/** A per-batch Dataset transformation of one parent: every narrow or wide Dataset operator, and transform(). */
final class TransformedDStream extends DStream {
    private final DStream parent;
    private final TimedTransform fn;
    private final String name;

    TransformedDStream(final DStream parent, final String name, final TimedTransform fn) {
        super(parent.graph(), schemaOf(parent, fn), parent.slideMillis());
        this.parent = parent;
        this.fn = fn;
        this.name = name;
    }

    private static io.sluice.memory.Schema schemaOf(final DStream parent, final TimedTransform fn) {
        final Dataset result = fn.apply(TimedTransform.DEFINITION_TIME, parent.graph().empty(parent.schema()));
        if (result == null) {
            throw new IllegalArgumentException("transform returned null for the definition-time dataset of " + parent);
        }
        return result.schema();
    }

    @Override
    Dataset compute(final long batchTime) {
        final Dataset in = parent.at(batchTime);
        if (in == null) {
            return null;
        }
        final Dataset out = fn.apply(batchTime, in);
        if (out == null) {
            throw new IllegalStateException("transform '" + name + "' returned null at batchTime=" + batchTime);
        }
        if (!out.schema().equals(schema())) {
            throw new IllegalStateException("transform '" + name + "' returned schema=" + out.schema() + " at batchTime="
                + batchTime + ", expected " + schema());
        }
        return out;
    }

    /** A per-batch transformation keeps its parent's watermark (an operator checks the event-time column is still there). */
    @Override
    WatermarkedDStream watermarkSource() {
        return parent.watermarkSource();
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        if ("transformWithTime".equals(name)) {
            return visitor.unsupported(this);   // its lineage may differ per batch time
        }
        final Dataset in = graph().empty(parent.schema());
        return visitor.transformed(parent, name, in, fn.apply(TimedTransform.DEFINITION_TIME, in));
    }

    @Override
    public String toString() {
        return name + "(" + parent + ")";
    }
}
