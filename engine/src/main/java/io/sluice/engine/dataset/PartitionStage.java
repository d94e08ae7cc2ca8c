package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * Runs one task per partition on the context's scheduler and keeps exactly one output per task, or per row range
 * of a task the scheduler split into morsels.
 *
 * <p>The scheduler drops the result of an attempt that loses a race (speculative copy) without a hook, which would
 * leak an off-heap output. So every attempt publishes into a slot (whole tasks) or a range-keyed map (splittable
 * tasks) with a put-if-absent; an attempt that finds its place taken releases its own output through
 * {@code discard}, and the scheduler's results are ignored. A running morsel's range never changes (only
 * never-started morsels split), so every attempt at a range publishes under the same key.
 */
final class PartitionStage {
    /** Marks a task that runs whole: its input size is unknown before it runs, or its output cannot be merged. */
    static final long WHOLE = -1;

    /** A task body: the output for rows {@code [from, to)} of task {@code k}, or all rows if {@code to < 0}. */
    @FunctionalInterface
    interface Body<R> {
        R run(int k, int from, int to, TaskContext ctx);
    }

    /** Merges the outputs of a split task's parts, given in row order; takes ownership of them. */
    @FunctionalInterface
    interface Merger<R> {
        R merge(List<R> parts);
    }

    /** Outputs by task index, the worker whose attempt produced each (the first part's), and parts per task. */
    static final class Result<R> {
        final List<R> values;
        final int[] workers;
        final int[] parts;

        Result(final List<R> values, final int[] workers, final int[] parts) {
            this.values = values;
            this.workers = workers;
            this.parts = parts;
        }
    }

    private static final class Slot<R> {
        final R value;
        final int worker;
        final long to;

        Slot(final R value, final int worker, final long to) {
            this.value = value;
            this.worker = worker;
            this.to = to;
        }
    }

    private PartitionStage() {
    }

    /**
     * Runs {@code rows.length} tasks; task {@code k} is a splittable morsel task over {@code [0, rows[k])} when
     * {@code rows[k] >= 0}, {@code merger} is not null and the task is large for its stage (see
     * {@link #splitThreshold}), else one whole task.
     */
    static <R> Result<R> run(final ExecutionContext ctx, final String name, final long[] rows, final Body<R> body,
                             final Merger<R> merger, final Consumer<R> discard) {
        final int tasks = rows.length;
        final AtomicReferenceArray<Slot<R>> slots = new AtomicReferenceArray<>(tasks);
        final AtomicReferenceArray<ConcurrentSkipListMap<Long, Slot<R>>> ranges = new AtomicReferenceArray<>(tasks);
        final AtomicBoolean closed = new AtomicBoolean();
        final List<Task<Object>> list = new ArrayList<>(tasks);
        final long threshold = splitThreshold(rows, ctx.scheduler().config().workers());
        for (int i = 0; i < tasks; i++) {
            final int k = i;
            if (merger != null && rows[k] > threshold) {
                list.add(Task.splittable(0, rows[k], tc -> {
                    final R out = body.run(k, (int) tc.from(), (int) tc.to(), tc);
                    publishPart(ranges, k, tc, out, closed, discard);
                    return null;
                }, (a, b) -> a));
            } else {
                list.add(Task.of(tc -> {
                    final R out = body.run(k, 0, (int) WHOLE, tc);
                    final Slot<R> mine = new Slot<>(out, tc.worker(), WHOLE);
                    if (!slots.compareAndSet(k, null, mine)) {
                        discardValue(out, discard);
                    } else if (closed.get() && slots.compareAndSet(k, mine, null)) {
                        discardValue(out, discard);
                    }
                    return null;
                }));
            }
        }
        try {
            ctx.runStage(Stage.of(name, list));
        } catch (final RuntimeException ex) {
            closed.set(true);
            releaseAll(slots, ranges, discard);
            throw ex;
        }
        // From here an attempt still running (a losing speculative copy) discards its output itself: the driver
        // takes every published output out of the slots and maps, so a late publish would otherwise stay there.
        closed.set(true);
        return collect(rows, slots, ranges, merger, discard);
    }

    /**
     * Tasks above this many rows are offered as splittable morsels. Splitting every task costs a partial result per
     * morsel (for an aggregation, a partial aggregate each, which the exchange then carries), so only tasks that
     * unbalance the stage split: those over twice the mean task, or over half a worker's fair share (so a stage of
     * fewer tasks than workers still spreads). Tasks of unknown size ({@code rows[k] < 0}) never split.
     */
    static long splitThreshold(final long[] rows, final int workers) {
        long total = 0;
        int known = 0;
        for (final long r : rows) {
            if (r >= 0) {
                total += r;
                known++;
            }
        }
        if (known == 0) {
            return Long.MAX_VALUE;
        }
        return Math.min(2 * total / known, total / (2L * workers));
    }

    private static <R> void publishPart(final AtomicReferenceArray<ConcurrentSkipListMap<Long, Slot<R>>> ranges,
                                        final int k, final TaskContext tc, final R out, final AtomicBoolean closed,
                                        final Consumer<R> discard) {
        ConcurrentSkipListMap<Long, Slot<R>> map = ranges.get(k);
        if (map == null) {
            ranges.compareAndSet(k, null, new ConcurrentSkipListMap<>());
            map = ranges.get(k);
        }
        final Slot<R> mine = new Slot<>(out, tc.worker(), tc.to());
        if (map.putIfAbsent(tc.from(), mine) != null) {
            discardValue(out, discard);
        } else if (closed.get() && map.remove(tc.from(), mine)) {
            // The stage ended and the driver may already have drained the map: do not leave this output behind.
            discardValue(out, discard);
        }
    }

    private static <R> void discardValue(final R value, final Consumer<R> discard) {
        if (value != null) {
            discard.accept(value);
        }
    }

    private static <R> void releaseAll(final AtomicReferenceArray<Slot<R>> slots,
                                       final AtomicReferenceArray<ConcurrentSkipListMap<Long, Slot<R>>> ranges,
                                       final Consumer<R> discard) {
        for (int i = 0; i < slots.length(); i++) {
            final Slot<R> slot = slots.getAndSet(i, null);
            if (slot != null) {
                discardValue(slot.value, discard);
            }
            final ConcurrentSkipListMap<Long, Slot<R>> map = ranges.get(i);
            if (map != null) {
                for (final Map.Entry<Long, Slot<R>> e : map.entrySet()) {
                    if (map.remove(e.getKey(), e.getValue())) {
                        discardValue(e.getValue().value, discard);
                    }
                }
            }
        }
    }

    private static <R> Result<R> collect(final long[] rows, final AtomicReferenceArray<Slot<R>> slots,
                                         final AtomicReferenceArray<ConcurrentSkipListMap<Long, Slot<R>>> ranges,
                                         final Merger<R> merger, final Consumer<R> discard) {
        final int tasks = rows.length;
        final List<R> values = new ArrayList<>(tasks);
        final int[] workers = new int[tasks];
        final int[] parts = new int[tasks];
        try {
            for (int k = 0; k < tasks; k++) {
                final Slot<R> whole = slots.getAndSet(k, null);
                if (whole != null) {
                    values.add(whole.value);
                    workers[k] = whole.worker;
                    parts[k] = 1;
                    continue;
                }
                final ConcurrentSkipListMap<Long, Slot<R>> map = ranges.get(k);
                final List<R> outputs = new ArrayList<>(map == null ? 0 : map.size());
                long next = 0;
                Map.Entry<Long, Slot<R>> e;
                while (map != null && (e = map.pollFirstEntry()) != null) {
                    if (e.getKey() != next) {
                        discardValue(e.getValue().value, discard);
                        outputs.forEach(v -> discardValue(v, discard));
                        throw new IllegalStateException("task=" + k + " parts leave rows [" + next + ", " + e.getKey()
                            + ") without output");
                    }
                    outputs.add(e.getValue().value);
                    next = e.getValue().to;
                    if (outputs.size() == 1) {
                        workers[k] = e.getValue().worker;
                    }
                }
                if (next != rows[k] || outputs.isEmpty()) {
                    outputs.forEach(v -> discardValue(v, discard));
                    throw new IllegalStateException("task=" + k + " parts cover rows [0, " + next + ") of [0, " + rows[k] + ")");
                }
                parts[k] = outputs.size();
                values.add(outputs.size() == 1 ? outputs.get(0) : merger.merge(outputs));
            }
        } catch (final RuntimeException ex) {
            values.forEach(v -> discardValue(v, discard));
            releaseAll(slots, ranges, discard);
            throw ex;
        }
        return new Result<>(values, workers, parts);
    }
}
