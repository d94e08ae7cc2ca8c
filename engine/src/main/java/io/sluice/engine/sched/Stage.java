package io.sluice.engine.sched;

import java.util.List;
import java.util.Objects;

/**
 * A set of independent tasks that run to completion together; results come back by task index.
 *
 * @param <R> result type of every task
 */
public final class Stage<R> {
    private final String name;
    private final List<Task<R>> tasks;

    private Stage(final String name, final List<Task<R>> tasks) {
        this.name = Objects.requireNonNull(name, "name");
        this.tasks = List.copyOf(tasks);
    }

    /** A stage named {@code name} of {@code tasks} (copied; no null elements). */
    public static <R> Stage<R> of(final String name, final List<Task<R>> tasks) {
        return new Stage<>(name, tasks);
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
