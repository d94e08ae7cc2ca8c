package io.sluice.engine.sched;

/**
 * A scheduling policy's placement, the one object that decides where work runs: which worker claims the first
 * attempt of each task of a stage ({@link #newClaims}), and where queued morsels (retries, re-runs after a worker
 * died, split parts) wait and which one an idle worker takes next ({@link #offer}, {@link #poll}). Implementations
 * start no thread and read no clock, so the single-threaded discrete-event simulator in bench drives the very same
 * objects as the threaded {@link Scheduler}. A policy is one implementation of this interface plus its
 * {@link Factory}; {@link SchedulingPolicy} only picks one of the built-in factories.
 *
 * <p>Thread-safety: {@link #offer} from any thread; {@link #poll(int)} for worker {@code w} only from the thread
 * currently acting as worker {@code w} (one at a time; a replacement worker takes over after the old one died).
 */
public interface Placement {
    /** {@code homeWorker} value meaning "no preference": retries, re-runs and copies. */
    int ANY_WORKER = -1;

    /** The first attempts of a new stage of {@code tasks} tasks, to be claimed by index; one object per stage. */
    Claims newClaims(int tasks);

    /** Makes {@code morsel} available, preferably to {@code homeWorker} (or {@link #ANY_WORKER}). */
    void offer(Morsel morsel, int homeWorker);

    /**
     * The next morsel worker {@code worker} should run, or null if the policy has none for it now. May split a
     * splittable morsel, keeping the lower part for the caller and queueing the rest.
     */
    Morsel poll(int worker);

    /** Number of workers the placement was built for. */
    int workers();

    /**
     * The first attempts of one stage's tasks as task indices that workers claim themselves, instead of the caller
     * queueing one morsel per task: the stage is published once and each worker takes its share. A worker may claim
     * a chunk of up to {@code max} indices at once (the caller asks for more than one only when its tasks are tiny);
     * a claimed chunk stays with the worker slot, so a replacement worker continues it. Thread-safety:
     * {@link #nextOwn} and {@link #steal} for slot {@code w} only from the thread acting as worker {@code w}.
     */
    interface Claims {
        /** The next task index of worker {@code w}'s own share, claiming up to {@code max} at once; -1 if none. */
        int nextOwn(int w, int max);

        /**
         * Claims up to {@code max} task indices of worker {@code w}'s own share as {@code lo << 32 | hi} (the range
         * {@code [lo, hi)}), which the caller holds itself instead of the claims (so the scheduler can publish the
         * unstarted rest to other runners), or -1 if none; same thread rule as {@link #nextOwn}. Indices claimed with
         * {@link #nextOwn} and not yet returned come first. By default one index from {@code nextOwn(w, 1)}.
         */
        default long claimOwn(final int w, final int max) {
            final int t = nextOwn(w, 1);
            return t < 0 ? -1L : ((long) t << 32) | (t + 1);
        }

        /** A task index taken from another worker's share (counted as stolen), or -1; by default never. */
        default int steal(final int w) {
            return -1;
        }

        /**
         * For a thread that is none of the workers (the stage's caller, helping while it waits): claims up to
         * {@code max} unclaimed task indices as {@code lo << 32 | hi} (the range {@code [lo, hi)}), or -1 when none
         * is left or the policy lets no one but its workers claim (the default). Any thread, one at a time.
         */
        default long help(final int max) {
            return -1L;
        }
    }

    /**
     * Makes the placement of one worker pool. The {@link SchedulingPolicy} constants are the built-in factories;
     * a new policy is a new implementation passed to {@link SchedulerConfig.Builder#placement}.
     */
    interface Factory {
        /** A new, empty placement for {@code workers} workers, splitting morsels down to {@code minMorselRows}. */
        Placement create(int workers, long minMorselRows, long seed);

        /** The policy's name, for thread names, reports and errors. */
        String name();

        /**
         * Whether an idle worker takes work homed on another one (stealing): speculation is on by default for such
         * policies, and a simulated worker whose poll missed while work is queued tries again after its back-off.
         */
        default boolean stealsWork() {
            return false;
        }
    }
}
