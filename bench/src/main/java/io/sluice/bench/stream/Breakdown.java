package io.sluice.bench.stream;

import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.BatchPhases;

/**
 * Where each measured batch's time went, one sample per batch and phase (nanos): how late the generator woke after
 * the interval boundary, the cut, the write-ahead log, the hand-off to the job thread, the jobs (stages), and the
 * commit after them.
 */
final class Breakdown {
    /** The phases of one batch, in the order they happen. */
    enum Phase {
        WAKE("wake"), CUT("cut"), WAL("WAL"), HAND_OFF("hand-off"), STAGES("stages"), COMMIT("commit");

        private final String label;

        Phase(final String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** No batches. */
    static final Breakdown EMPTY = new Breakdown();

    private final LongList[] samples = new LongList[Phase.values().length];

    Breakdown() {
        for (int i = 0; i < samples.length; i++) {
            samples[i] = new LongList();
        }
    }

    /** Adds a completed batch's phases (the job thread; the driver reads after the context stopped). */
    void add(final BatchInfo info) {
        final BatchPhases phases = info.phases();
        samples[Phase.WAKE.ordinal()].add(Math.max(0, info.submissionNanos() - info.batchTimeMillis() * 1_000_000L));
        samples[Phase.CUT.ordinal()].add(phases.cutNanos());
        samples[Phase.WAL.ordinal()].add(phases.walNanos());
        samples[Phase.HAND_OFF.ordinal()].add(phases.handOffNanos());
        samples[Phase.STAGES.ordinal()].add(info.processingNanos());
        samples[Phase.COMMIT.ordinal()].add(phases.commitNanos());
    }

    int batches() {
        return samples[0].size();
    }

    /** The {@code q}-quantile (nearest rank) of {@code phase} over the batches; 0 without batches. */
    long quantileNanos(final Phase phase, final double q) {
        return Quantiles.nearestRank(samples[phase.ordinal()].toArray(), q);
    }

    /** p50 and p99 of every phase, for a report. */
    Summary summary() {
        final Phase[] phases = Phase.values();
        final long[] p50 = new long[phases.length];
        final long[] p99 = new long[phases.length];
        for (final Phase phase : phases) {
            p50[phase.ordinal()] = quantileNanos(phase, 0.5);
            p99[phase.ordinal()] = quantileNanos(phase, 0.99);
        }
        return new Summary(p50, p99);
    }

    /**
     * Per-phase p50 and p99 (nanos, indexed by {@link Phase#ordinal()}).
     *
     * @param p50Nanos medians
     * @param p99Nanos 99th percentiles
     */
    record Summary(long[] p50Nanos, long[] p99Nanos) {
        static final Summary NONE = new Summary(new long[Phase.values().length], new long[Phase.values().length]);

        long p50(final Phase phase) {
            return p50Nanos[phase.ordinal()];
        }

        long p99(final Phase phase) {
            return p99Nanos[phase.ordinal()];
        }
    }
}
