package io.sluice.engine.sched;

import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * One task of a {@link Stage}: a body, and for a morsel task a row range {@code [from, to)} that the policy may
 * split into parts run anywhere. Parts' results are combined left to right in row order, so with an associative
 * combiner the result does not depend on how the range was split.
 *
 * @param <R> result type
 */
public final class Task<R> {
    private final TaskFn<R> fn;
    private final long from;
    private final long to;
    private final BinaryOperator<R> combiner;

    private Task(final TaskFn<R> fn, final long from, final long to, final BinaryOperator<R> combiner) {
        this.fn = Objects.requireNonNull(fn, "fn");
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") must have 0 <= from <= to");
        }
        this.from = from;
        this.to = to;
        this.combiner = combiner;
    }

    /** A task that runs {@code fn} once, whole (range [0, 0)). */
    public static <R> Task<R> of(final TaskFn<R> fn) {
        return new Task<>(fn, 0, 0, null);
    }

    /** A task over rows {@code [from, to)} that may be split; parts are combined with {@code combiner} in row order. */
    public static <R> Task<R> splittable(final long from, final long to, final TaskFn<R> fn, final BinaryOperator<R> combiner) {
        return new Task<>(fn, from, to, Objects.requireNonNull(combiner, "combiner"));
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

    /** Whether the range may be split (a splittable task with at least two rows). */
    public boolean isSplittable() {
        return combiner != null && to - from >= 2;
    }

    /** The combiner, or null for a task that is not splittable. */
    public BinaryOperator<R> combiner() {
        return combiner;
    }
}
