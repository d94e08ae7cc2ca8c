package io.sluice.engine.sched;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * One task of a {@link Stage}: a body, and for a morsel task a row range {@code [from, to)} that the policy may
 * split into parts run anywhere. The committed parts' results are combined in row order, so with an associative
 * combiner the result does not depend on how the range was split: pairwise ({@link #splittable}) or all at once
 * in one pass ({@link #merging}, for results such as batches that are cheaper to concatenate once).
 *
 * @param <R> result type
 */
public final class Task<R> {
    private final TaskFn<R> fn;
    private final long from;
    private final long to;
    private final BinaryOperator<R> combiner;
    private final Function<List<R>, R> merger;

    private Task(final TaskFn<R> fn, final long from, final long to, final BinaryOperator<R> combiner,
                 final Function<List<R>, R> merger) {
        this.fn = Objects.requireNonNull(fn, "fn");
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") must have 0 <= from <= to");
        }
        this.from = from;
        this.to = to;
        this.combiner = combiner;
        this.merger = merger;
    }

    /** A task that runs {@code fn} once, whole (range [0, 0)). */
    public static <R> Task<R> of(final TaskFn<R> fn) {
        return new Task<>(fn, 0, 0, null, null);
    }

    /** A task over rows {@code [from, to)} that may be split; parts are combined with {@code combiner} in row order. */
    public static <R> Task<R> splittable(final long from, final long to, final TaskFn<R> fn, final BinaryOperator<R> combiner) {
        return new Task<>(fn, from, to, Objects.requireNonNull(combiner, "combiner"), null);
    }

    /**
     * A task over rows {@code [from, to)} that may be split; when it was, {@code merger} receives every part's
     * result at once, in row order, and owns them (it runs once, on the worker that committed the last part). A
     * task that ran whole is not merged. If the merger throws, the stage fails with that cause.
     */
    public static <R> Task<R> merging(final long from, final long to, final TaskFn<R> fn, final Function<List<R>, R> merger) {
        return new Task<>(fn, from, to, null, Objects.requireNonNull(merger, "merger"));
    }

    public TaskFn<R> fn() {
        return fn;
    }

    public long from() {
        return from;
    }

    public long to() {
        return to;
    }

    /** Whether the range may be split (a splittable or merging task with at least two rows). */
    public boolean isSplittable() {
        return (combiner != null || merger != null) && to - from >= 2;
    }

    /** The pairwise combiner, or null for a task that is not {@link #splittable}. */
    public BinaryOperator<R> combiner() {
        return combiner;
    }

    /** The one-pass merger, or null for a task that is not {@link #merging}. */
    public Function<List<R>, R> merger() {
        return merger;
    }

    /**
     * The committed parts' results, given in row order ({@code nullPart} standing for a null result), merged in one
     * pass by a merging task, else folded left by the combiner.
     */
    @SuppressWarnings("unchecked")
    R combine(final Collection<Object> parts, final Object nullPart) {
        if (merger != null) {
            final List<R> list = new ArrayList<>(parts.size());
            for (final Object part : parts) {
                list.add(part == nullPart ? null : (R) part);
            }
            return merger.apply(list);
        }
        R acc = null;
        boolean first = true;
        for (final Object part : parts) {
            final R value = part == nullPart ? null : (R) part;
            acc = first ? value : combiner.apply(acc, value);
            first = false;
        }
        return acc;
    }
}
