package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The commit state of every unsplit task of one stage, in int arrays indexed by task, instead of in a primary
 * {@link Morsel} per task: so the first attempt of such a task needs no morsel of its own (a worker reuses one)
 * and all its attempts (first, retries, speculative copy) share the state by task index. Exactly one
 * {@link #tryCommit} per task succeeds. Thread-safe; allocation-free.
 */
final class TaskStates {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle RARE;

    static {
        try {
            RARE = MethodHandles.lookup().findVarHandle(TaskStates.class, "rare", int[].class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final int COMMITTED = 1;
    private static final int COPIED = 2;

    /**
     * At most one attempt of a task is ever live (no speculative copies): the first attempt is claimed once, a
     * retry or re-run is made only after the attempt before it ended (on its own thread, which then queues it), so
     * no two commits of a task can race and the commit needs no CAS, only a release store.
     */
    private final boolean exclusiveAttempts;
    private final int[] state;
    /**
     * Made on the first failure, retry, copy or discarded attempt of the stage (a stage whose attempts all commit
     * allocates one int per task, not three): at {@code 2t} task t's failures, at {@code 2t + 1} its live attempts
     * minus one (the first attempt is live from the start without a store per task).
     */
    private volatile int[] rare;

    TaskStates(final int tasks, final boolean exclusiveAttempts) {
        this.exclusiveAttempts = exclusiveAttempts;
        this.state = new int[tasks];
    }

    private int[] rare() {
        final int[] a = rare;
        if (a != null) {
            return a;
        }
        final int[] made = new int[2 * state.length];
        final int[] won = (int[]) RARE.compareAndExchange(this, (int[]) null, made);
        return won == null ? made : won;
    }

    /** Sets the committed bit; true for exactly one caller per task. */
    boolean tryCommit(final int t) {
        if (exclusiveAttempts) {
            // The attempt before this one (if any) ended before this one was queued: a plain read is current.
            if (((int) INTS.get(state, t) & COMMITTED) != 0) {
                return false;
            }
            INTS.setRelease(state, t, COMMITTED);
            return true;
        }
        while (true) {
            final int s = (int) INTS.getVolatile(state, t);
            if ((s & COMMITTED) != 0) {
                return false;
            }
            if (INTS.compareAndSet(state, t, s, s | COMMITTED)) {
                return true;
            }
        }
    }

    boolean isCommitted(final int t) {
        return ((int) INTS.getAcquire(state, t) & COMMITTED) != 0;
    }

    /** Marks that a speculative copy was launched; true only for the first caller, and never once committed. */
    boolean tryMarkCopied(final int t) {
        return INTS.compareAndSet(state, t, 0, COPIED);
    }

    boolean wasCopied(final int t) {
        return ((int) INTS.getVolatile(state, t) & COPIED) != 0;
    }

    /** Counts a failed attempt; returns the failures so far. */
    int incrementFailures(final int t) {
        return (int) INTS.getAndAdd(rare(), 2 * t, 1) + 1;
    }

    void incrementLive(final int t) {
        INTS.getAndAdd(rare(), 2 * t + 1, 1);
    }

    /** One attempt finished; returns the attempts still live. */
    int decrementLive(final int t) {
        return (int) INTS.getAndAdd(rare(), 2 * t + 1, -1);
    }
}
