package io.sluice.engine.stream;

/**
 * Work run once per batch time over every input's micro-batch at once: the seam a DStream graph plugs into (it
 * sees all inputs of one batch time together, which joins and unions need). Same ownership and threading as
 * {@link BatchJob}.
 */
@FunctionalInterface
public interface MicroBatchJob {
    void process(MicroBatch batch) throws Exception;
}
