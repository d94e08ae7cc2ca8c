package io.sluice.engine.dataset;

import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * A {@code flatMap(split(line))} followed by the partial half of {@code groupBy(token).agg(count(), ...)} (only
 * {@code COUNT(*)} aggregates) in one pass: each line's bytes are tokenized and every token is counted straight into
 * a {@link KeySlotIndex}, so the exploded token column is never built and no token is hashed twice. Its output is
 * the partial aggregate's, row for row the same groups and counts. Chosen by {@link #fuse} when a chain has that
 * shape; the lineage (what visitors and other backends see) keeps the two operators.
 */
final class SplitCountOp implements BatchOp {
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private final FlatMapOp flatMap;
    private final AggPlan plan;

    private SplitCountOp(final FlatMapOp flatMap, final AggPlan plan) {
        this.flatMap = flatMap;
        this.plan = plan;
    }

    /** {@code chain} with each fusable (flatMap, partial aggregate) pair replaced by one {@code SplitCountOp}. */
    static List<BatchOp> fuse(final List<BatchOp> chain) {
        for (int i = chain.size() - 2; i >= 0; i--) {
            if (chain.get(i) instanceof FlatMapOp && chain.get(i + 1) instanceof AggregateOp) {
                final FlatMapOp split = (FlatMapOp) chain.get(i);
                final AggregateOp agg = (AggregateOp) chain.get(i + 1);
                if (fusable(split, agg)) {
                    chain.set(i, new SplitCountOp(split, agg.plan()));
                    chain.remove(i + 1);
                }
            }
        }
        return chain;
    }

    private static boolean fusable(final FlatMapOp split, final AggregateOp agg) {
        final AggPlan plan = agg.plan();
        if (agg.isFinal() || !split.tokensOnly() || plan.keyColumns().length != 1 || plan.keyColumns()[0] != 0) {
            return false;
        }
        for (int a = 0; a < plan.aggs().size(); a++) {
            if (plan.aggs().get(a).fn() != Agg.Fn.COUNT || plan.inputColumn(a) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Schema outputSchema() {
        return plan.partialSchema();
    }

    @Override
    public Batch apply(final Batch input, final BufferAllocator allocator) {
        return count(input, null, allocator);
    }

    /** Tokenizes only the selected rows, read in place. */
    @Override
    public Batch apply(final Batch input, final SelectionVector selection, final BufferAllocator allocator) {
        return count(input, selection, allocator);
    }

    private Batch count(final Batch input, final SelectionVector selection, final BufferAllocator allocator) {
        final Utf8Vector text = input.utf8Vector(flatMap.sourceColumn());
        final Split split = flatMap.split();
        final Utf8Rows lines = new Utf8Rows(text, selection);
        final KeySlotIndex index = new KeySlotIndex(plan.keySchema());
        long[] counts = new long[256];
        while (lines.next()) {
            final int len = lines.length();
            final byte[] line = lines.bytes();
            // One pass per line: find the tokens and hash each (FNV-1a, then mixed) as its bytes go by.
            int start = -1;
            long hash = 0;
            for (int b = 0; b <= len; b++) {
                if (b == len || split.isDelimiter(line[b])) {
                    if (start >= 0) {
                        final int slot = index.findOrAdd(line, start, b - start, KeySlotIndex.mix(hash));
                        if (slot == counts.length) {
                            counts = Arrays.copyOf(counts, counts.length * 2);
                        }
                        counts[slot]++;
                        start = -1;
                    }
                } else {
                    if (start < 0) {
                        start = b;
                        hash = FNV_OFFSET;
                    }
                    hash = (hash ^ (line[b] & 0xFF)) * FNV_PRIME;
                }
            }
        }
        final int groups = index.slotLimit();
        final long[] perGroup = Arrays.copyOf(counts, groups);
        final long[] zeros = new long[groups];
        try (BatchBuilder out = new BatchBuilder(allocator, plan.partialSchema(), Math.max(1, groups))) {
            index.appendUtf8Keys(out, 0);
            for (int a = 0; a < plan.aggs().size(); a++) {
                // A COUNT(*) partial row: value 0 (unused), count n (HashAggregator's layout).
                out.appendInt64Column(plan.partialValueColumn(a), zeros);
                out.appendInt64Column(plan.partialValueColumn(a) + 1, perGroup);
            }
            return out.build();
        }
    }
}
