package io.sluice.engine.sched;

/**
 * The placement half of a scheduling policy: where a morsel waits and which morsel an idle worker takes next.
 * Implementations start no threads and read no clock, so a single-threaded discrete-event simulation drives the
 * very same logic as the threaded {@link Scheduler}s.
 *
 * <p>Thread-safety: {@link #offer} from any thread; {@link #poll(int)} for worker {@code w} only from the thread
 * currently acting as worker {@code w} (one at a time; a replacement worker takes over after the old one died).
 */
public interface TaskQueues {
    /** {@code homeWorker} value meaning "no preference": retries, re-runs and copies. */
    int ANY_WORKER = -1;

    /** Makes {@code morsel} available, preferably to {@code homeWorker} (or {@link #ANY_WORKER}). */
    void offer(Morsel morsel, int homeWorker);

    /**
     * The next morsel worker {@code worker} should run, or null if the policy has none for it now. May split a
     * splittable morsel, keeping the lower part for the caller and queueing the rest.
     */
    Morsel poll(int worker);

    /** Number of workers the queues were built for. */
    int workers();
}
