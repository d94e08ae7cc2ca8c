package io.sluice.ui;

/**
 * One stage as the timeline shows it. Immutable: a running stage's record is replaced when it finishes.
 *
 * @param seq          1-based order of the stages this dashboard saw start
 * @param name         the stage's name
 * @param tasks        its task count
 * @param startNanos   when it was published (scheduler clock)
 * @param endNanos     when it ended, or -1 while running
 * @param failed       whether it failed
 * @param busyNanos    per worker, time spent running its attempts (empty while running or when it failed)
 * @param steals       morsels taken from another worker
 * @param speculativeCopies copies launched for stragglers
 * @param retries      attempts launched after a failure
 * @param workerReplacements worker threads that died and were replaced while it ran
 */
record StageRecord(long seq, String name, int tasks, long startNanos, long endNanos, boolean failed, long[] busyNanos, long steals,
                   long speculativeCopies, long retries, long workerReplacements) {
}
