package io.sluice.engine.sched;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A set of independent tasks that run to completion together; results come back by task index.
 *
 * <p>An optional <em>discarder</em> ({@link #onDiscard}) receives, exactly once each, the non-null results that
 * were produced but that the caller will never see: the output of an attempt that lost the commit race (a
 * speculative copy or the original), of an attempt that finished after its stage failed or was cancelled, the
 * committed parts of a split task whose stage failed, and, when the stage fails, every result already committed.
 * Results that {@link Scheduler#run} returns, and parts handed to a task's combiner, are never discarded: the
 * caller, respectively the combiner, owns them. The discarder is how results holding resources (off-heap
 * batches) are released. It may be called from any worker thread or the caller's thread, concurrently, before
 * {@code run} returns; an exception it throws is logged and swallowed.
 *
 * @param <R> result type of every task
 */
public final class Stage<R> {
    private final String name;
    private final List<Task<R>> tasks;
    private final Consumer<? super R> discarder;

    private Stage(final String name, final List<Task<R>> tasks, final Consumer<? super R> discarder) {
        this.name = Objects.requireNonNull(name, "name");
        this.tasks = List.copyOf(tasks);
        this.discarder = discarder;
    }

    /** A stage named {@code name} of {@code tasks} (copied; no null elements), without a discarder. */
    public static <R> Stage<R> of(final String name, final List<Task<R>> tasks) {
        return new Stage<>(name, tasks, null);
    }

    /** A stage named {@code name} of {@code tasks} whose dropped results go to {@code discarder}. */
    public static <R> Stage<R> of(final String name, final List<Task<R>> tasks, final Consumer<? super R> discarder) {
        return new Stage<>(name, tasks, Objects.requireNonNull(discarder, "discarder"));
    }

    /** This stage with {@code discarder} receiving its dropped results (see the class comment); replaces any other. */
    public Stage<R> onDiscard(final Consumer<? super R> discarder) {
        return new Stage<>(name, tasks, Objects.requireNonNull(discarder, "discarder"));
    }

    /** The discarder, or null if dropped results are simply left to the garbage collector. */
    public Consumer<? super R> discarder() {
        return discarder;
    }

    public String name() {
        return name;
    }

    public List<Task<R>> tasks() {
        return tasks;
    }

    public int size() {
        return tasks.size();
    }
}
