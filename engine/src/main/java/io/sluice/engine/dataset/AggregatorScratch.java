package io.sluice.engine.dataset;

import io.sluice.memory.Schema;

/**
 * The heap state of a closed {@link HashAggregator} (its key index and accumulator arrays), kept per thread so the
 * next aggregator on that thread starts at the size the last one reached instead of growing from 16 groups again:
 * a micro-batch job builds a new aggregation per batch and per partition, and that growth was most of its heap
 * allocation per batch. An aggregator {@link #take}s the thread's scratch (so a second aggregator open on the same
 * thread gets none) and {@link #keep}s its own when it closes, unless it grew past {@link #MAX_KEPT_GROUPS}, which
 * bounds what a thread holds between batches. On by default; {@code -Dsluice.dataset.reuseAggregators=false}
 * turns it off (the before/after of the allocation benchmark).
 */
final class AggregatorScratch {
    /** Groups above which a closed aggregator's arrays are dropped rather than kept for the thread's next one. */
    static final int MAX_KEPT_GROUPS = 1 << 13;

    private static final boolean ENABLED =
        Boolean.parseBoolean(System.getProperty("sluice.dataset.reuseAggregators", "true"));
    private static final ThreadLocal<AggregatorScratch> KEPT = new ThreadLocal<>();

    /** Null for a global aggregate. */
    final KeySlotIndex index;
    final int[] slotGroup;
    final long[][] counts;
    final long[][] longs;
    final double[][] doubles;
    /** The groups the kept aggregator ended with (its arrays hold at least as many). */
    final int groups;

    AggregatorScratch(final KeySlotIndex index, final int[] slotGroup, final long[][] counts, final long[][] longs,
                      final double[][] doubles, final int groups) {
        this.index = index;
        this.slotGroup = slotGroup;
        this.counts = counts;
        this.longs = longs;
        this.doubles = doubles;
        this.groups = groups;
    }

    /** This thread's kept scratch, now owned by the caller, or null (none kept, or reuse is off). */
    static AggregatorScratch take() {
        if (!ENABLED) {
            return null;
        }
        final AggregatorScratch kept = KEPT.get();
        if (kept != null) {
            KEPT.remove();
        }
        return kept;
    }

    /** Keeps {@code scratch} for this thread's next aggregator, unless it is too large or reuse is off. */
    static void keep(final AggregatorScratch scratch) {
        if (ENABLED && scratch.groups <= MAX_KEPT_GROUPS) {
            KEPT.set(scratch);
        }
    }

    /** The kept index, cleared, when it was made for {@code keySchema}; otherwise a new one. */
    KeySlotIndex index(final Schema keySchema) {
        if (index != null && index.keySchema().equals(keySchema)) {
            index.unbind();
            index.clear();
            return index;
        }
        return new KeySlotIndex(keySchema);
    }

    /** {@code count} accumulator rows of one capacity: the kept ones first, new ones of the kept capacity after. */
    static long[][] rows(final long[][] kept, final int count) {
        final long[][] rows = new long[count][];
        final int capacity = kept.length > 0 ? kept[0].length : 16;
        for (int a = 0; a < count; a++) {
            rows[a] = a < kept.length ? kept[a] : new long[capacity];
        }
        return rows;
    }

    /** As {@link #rows(long[][], int)} for {@code double} accumulators. */
    static double[][] rows(final double[][] kept, final int count) {
        final double[][] rows = new double[count][];
        final int capacity = kept.length > 0 ? kept[0].length : 16;
        for (int a = 0; a < count; a++) {
            rows[a] = a < kept.length ? kept[a] : new double[capacity];
        }
        return rows;
    }
}
