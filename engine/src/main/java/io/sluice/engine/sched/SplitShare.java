package io.sluice.engine.sched;

import java.util.Locale;

/**
 * How much of a running attempt's unclaimed rows an idle worker splits off ({@link TaskContext#nextChunk}), once it
 * chose the attempt that needs the longest to finish at its worker's measured rate. Pure arithmetic on the rates
 * and rows the caller measured, shared by the worker pool and the cluster simulator.
 *
 * <p>{@link #BALANCE} (the rule before): the owner keeps the share that makes it and the thief finish together.
 * Each idle worker balances against one victim only, so with k idle workers the pieces halve again and again (an
 * idle worker whose piece ended early splits the longest one left), and on a loaded machine, where every piece
 * pays a late wake-up, the tail is cut into one-chunk pieces.
 *
 * <p>{@link #FILL} (the default): the two-way balance, floored at the stage's fluid end. The horizon {@code H} is
 * the time all unclaimed rows of the running attempts need on all runners at their measured rates
 * ({@link #horizonNanos}). An attempt due to end within {@code H} plus
 * {@link WorkStealingPlacement#MIN_RUNNING_SPLIT_NANOS} is not split (it ends about when the rest does: a split
 * would only add a piece and its overhead); otherwise the thief takes the balanced share but never so much that
 * the owner would end before {@code H}. So idle workers stop cutting pieces that end before the others, and the
 * slowest worker's attempt (the latest end at its measured rate) is split first. In the simulator over the sweep's
 * failure-free cells this ends within 1.019x of the fluid bound with no cost per attempt (the balance alone:
 * 1.067x) and within 1.136x with 70 us per attempt (1.166x); a variant that also capped the thief at {@code H}
 * made fewer pieces but did worse once every piece cost a late wake-up (1.172x).
 */
public enum SplitShare {
    /** Owner and thief finish together (a two-way balance). */
    BALANCE,
    /** The two-way balance, but the owner keeps at least what it claims by the horizon (the fluid end). */
    FILL;

    /** System property naming the rule ({@code balance} or {@code fill}), read when a pool or simulation is built. */
    public static final String PROPERTY = "sluice.sched.splitShare";
    /** Largest share the owner keeps under {@link #FILL} (below 1 so a split always moves some rows). */
    static final double FILL_MAX_KEEP = 0.99;
    private static final double MIN_SPLIT_NANOS = WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS;

    /** The rule {@link #PROPERTY} names, {@link #FILL} when unset; throws naming a value it does not know. */
    public static SplitShare configured() {
        final String value = System.getProperty(PROPERTY);
        if (value == null || value.isEmpty()) {
            return FILL;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "balance":
                return BALANCE;
            case "fill":
                return FILL;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " unknown: one of balance, fill");
        }
    }

    /**
     * The horizon: nanos until {@code leftRows} unclaimed rows (of every running attempt together) are done by
     * runners whose speeds add up to {@code rowsPerNano} (the sum of 1 / nanos per row over every runner, idle or
     * busy). Infinite when nothing runs ({@code rowsPerNano} 0).
     */
    public static double horizonNanos(final double leftRows, final double rowsPerNano) {
        return rowsPerNano > 0 ? leftRows / rowsPerNano : Double.POSITIVE_INFINITY;
    }

    /**
     * The fraction of the victim's {@code victimLeftRows} unclaimed rows its owner keeps, or NaN when it should
     * not be split: the victim claims a row per {@code victimRowNanos}, the thief per {@code ownRowNanos} (both
     * > 0), and {@code horizonNanos} is {@link #horizonNanos} over every running attempt (ignored by
     * {@link #BALANCE}). The split itself still needs at least {@link WorkStealingPlacement#MIN_RUNNING_SPLIT_NANOS}
     * of rows for the thief ({@link Morsel#trySplit}).
     */
    public double keepFraction(final double victimLeftRows, final double victimRowNanos, final double ownRowNanos,
                               final double horizonNanos) {
        final double leftNanos = victimLeftRows * victimRowNanos;
        if (!(leftNanos >= 2 * MIN_SPLIT_NANOS) || !(ownRowNanos > 0) || !(victimRowNanos > 0)) {
            return Double.NaN;
        }
        if (this == BALANCE) {
            // Keep k of the rows so that k x victim rate = (rest) x own rate.
            return clamp(ownRowNanos / (ownRowNanos + victimRowNanos), WorkStealingPlacement.MAX_KEEP);
        }
        if (!(leftNanos >= horizonNanos + MIN_SPLIT_NANOS)) {
            return Double.NaN;  // it ends about when the rest does: a split would only add a piece
        }
        final double balanced = victimLeftRows * victimRowNanos / (ownRowNanos + victimRowNanos);
        final double takeRows = Math.min(victimLeftRows - horizonNanos / victimRowNanos, balanced);
        return clamp(1 - takeRows / victimLeftRows, FILL_MAX_KEEP);
    }

    private static double clamp(final double keep, final double max) {
        return Math.max(WorkStealingPlacement.MIN_KEEP, Math.min(max, keep));
    }
}
