package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * Runs one task per partition on the context's scheduler and keeps exactly one output per task.
 *
 * <p>The scheduler drops the result of an attempt that loses a race (speculative copy) without a hook, which would
 * leak an off-heap output. So every attempt publishes into a slot by CAS; an attempt that finds the slot taken
 * releases its own output through {@code discard} and the scheduler's result is ignored.
 */
final class PartitionStage {
    /** A task body: the output for task {@code k} (owned by the stage until published). */
    @FunctionalInterface
    interface Body<R> {
        R run(int k, TaskContext ctx);
    }

    /** Outputs by task index, and the worker whose attempt produced each. */
    static final class Result<R> {
        final List<R> values;
        final int[] workers;

        Result(final List<R> values, final int[] workers) {
            this.values = values;
            this.workers = workers;
        }
    }

    private static final class Slot<R> {
        final R value;
        final int worker;

        Slot(final R value, final int worker) {
            this.value = value;
            this.worker = worker;
        }
    }

    private PartitionStage() {
    }

    static <R> Result<R> run(final ExecutionContext ctx, final String name, final int tasks, final Body<R> body,
                             final Consumer<R> discard) {
        final AtomicReferenceArray<Slot<R>> slots = new AtomicReferenceArray<>(tasks);
        final List<Task<Object>> list = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            final int k = i;
            list.add(Task.of(tc -> {
                final R out = body.run(k, tc);
                if (!slots.compareAndSet(k, null, new Slot<>(out, tc.worker())) && out != null) {
                    discard.accept(out);
                }
                return null;
            }));
        }
        try {
            ctx.runStage(Stage.of(name, list));
        } catch (final RuntimeException ex) {
            for (int i = 0; i < tasks; i++) {
                final Slot<R> slot = slots.getAndSet(i, null);
                if (slot != null && slot.value != null) {
                    discard.accept(slot.value);
                }
            }
            throw ex;
        }
        final List<R> values = new ArrayList<>(tasks);
        final int[] workers = new int[tasks];
        for (int i = 0; i < tasks; i++) {
            final Slot<R> slot = slots.get(i);
            values.add(slot.value);
            workers[i] = slot.worker;
        }
        return new Result<>(values, workers);
    }
}
