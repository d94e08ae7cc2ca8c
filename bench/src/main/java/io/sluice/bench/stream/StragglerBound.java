package io.sluice.bench.stream;

/**
 * What the straggler experiment's shape allows any scheduler, copies included: the shortest time in which
 * {@code workers - 1} workers of speed 1 and one of speed {@code 1 / slowdown} finish {@code tasks} equal, indivisible
 * tasks of {@code taskNanos} each. A speculative copy is only another placement of a task (the slower attempt's
 * time is lost), so no mix of stealing and copies beats the best placement; only splitting a task (morsels) does,
 * down to the fluid bound where every worker works until the same instant.
 */
final class StragglerBound {
    private StragglerBound() {
    }

    /**
     * The best makespan: the slow worker runs {@code k} tasks, the others share the rest evenly, for the best
     * {@code k} (identical tasks on machines of two speeds, so the even share is optimal for each {@code k}).
     */
    static double indivisibleNanos(final int tasks, final double taskNanos, final int workers, final double slowdown) {
        if (tasks < 0 || workers < 2 || !(slowdown >= 1) || !(taskNanos >= 0)) {
            throw new IllegalArgumentException("tasks=" + tasks + " (>= 0) workers=" + workers + " (>= 2) slowdown="
                + slowdown + " (>= 1) taskNanos=" + taskNanos + " (>= 0)");
        }
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= tasks; k++) {
            final double slow = k * slowdown * taskNanos;
            final double fast = Math.ceil((tasks - k) / (double) (workers - 1)) * taskNanos;
            best = Math.min(best, Math.max(slow, fast));
        }
        return best;
    }

    /** The fluid bound: all the work spread over the workers' summed speed (infinitely divisible tasks). */
    static double fluidNanos(final int tasks, final double taskNanos, final int workers, final double slowdown) {
        return tasks * taskNanos / (workers - 1 + 1 / slowdown);
    }
}
