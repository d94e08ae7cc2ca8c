package io.sluice.engine.sched;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The unstarted rest {@code [next, end)} of the chunk of tiny tasks each runner slot of one stage claimed
 * (a worker, or the caller at {@code W}), published so that a runner blocked in one task holds none of the others:
 * the runner takes its next task by an atomic add on {@code next} ({@link #next}), an idle worker takes the last one
 * by a CAS moving {@code end} down, only while the word is non-empty ({@link #take}). Each index leaves a word
 * exactly once. A runner installs a new chunk only into its empty word, and a new chunk never repeats a value a
 * thief may still expect (its indices were never in an earlier chunk), so a thief's CAS cannot succeed on a stale
 * read. Words are {@code next << 32 | end}, a cache line apart (padded, as the per-worker figures of a stage).
 */
final class HeldChunks {
    private static final int STRIDE = 16;
    private final AtomicLongArray words;

    HeldChunks(final int runners) {
        this.words = new AtomicLongArray((runners + 1) * STRIDE);
    }

    /** Slot {@code s}'s word, a line past the array header (read by every access's bounds check) and the others. */
    private static int at(final int s) {
        return (s + 1) * STRIDE;
    }

    private static int next(final long word) {
        return (int) (word >>> 32);
    }

    private static int end(final long word) {
        return (int) word;
    }

    /**
     * Slot {@code s} holds the claimed, unstarted tasks {@code [from, to)}; only by the thread acting as slot
     * {@code s}, once its previous chunk is empty (no thief writes an empty word, so a release store suffices).
     */
    void hold(final int s, final int from, final int to) {
        words.lazySet(at(s), ((long) from << 32) | (to & 0xFFFFFFFFL));
    }

    /** The next task slot {@code s} holds, taken off its chunk to run it, or -1 if none; only by slot {@code s}. */
    int next(final int s) {
        final int at = at(s);
        final long word = words.get(at);
        if (next(word) >= end(word)) {
            return -1;
        }
        // Moves next past end at most once per emptied chunk (when a thief took the last task in between).
        final long before = words.getAndAdd(at, 1L << 32);
        return next(before) < end(before) ? next(before) : -1;
    }

    /** Whether slot {@code s} holds unstarted tasks (racy). */
    boolean holds(final int s) {
        final long word = words.get(at(s));
        return next(word) < end(word);
    }

    /** The last unstarted task slot {@code s} holds, taken off its chunk for another runner, or -1 if none. */
    int take(final int s) {
        final int at = at(s);
        while (true) {
            final long word = words.get(at);
            if (next(word) >= end(word)) {
                return -1;
            }
            if (words.compareAndSet(at, word, word - 1)) {
                return end(word) - 1;
            }
        }
    }
}
