package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * Runs one task per partition on the context's scheduler and returns exactly one output per task, on the
 * scheduler's own commit protocol. A task whose input size is known before it runs and whose output can be merged
 * is a {@link Task#merging} task whose body claims its rows in chunks ({@link Chunks}, over
 * {@link TaskContext#nextChunk}) and combines the chunks' outputs in row order; an idle worker may split off the
 * rows not claimed yet, which run as another part whose output the scheduler merges in row order too. Every other
 * task runs whole. Every output nobody will see (a losing speculative copy, the outputs of a failed stage) goes to
 * {@code discard} through the stage's discarder ({@link Stage#onDiscard}); a body releases its own chunks' outputs
 * when a later chunk throws.
 */
final class PartitionStage {
    /** Marks a task that runs whole: its input size is unknown before it runs. */
    static final long WHOLE = -1;

    /**
     * Target run time of one chunk: short enough that the rows an attempt has claimed but not finished (what nobody
     * can take from a slow worker) are little next to a stage, long enough that a chunk's fixed cost (its input
     * batch, one pass of the operators before any aggregate, one output to combine) stays small (ChunkOverheadBench).
     */
    static final long CHUNK_NANOS = 1_000_000;
    /**
     * A worker without a measured rate for its stage claims this fraction of its range first, but at least
     * {@link #PROBE_MIN_ROWS} rows (a small task then runs in one chunk).
     */
    static final int PROBE_CHUNKS = 16;
    static final long PROBE_MIN_ROWS = 256;

    /**
     * A task body: the output of task {@code k}, over its whole input when {@code chunks} is null, else over the
     * chunks it claims from {@code chunks} until {@link Chunks#next} returns false (at least one, maybe empty).
     */
    @FunctionalInterface
    interface Body<R> {
        R run(int k, Chunks chunks, TaskContext ctx);
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

    private PartitionStage() {
    }

    /**
     * Runs {@code rows.length} tasks; task {@code k} runs in chunks and may split while it runs when
     * {@code rows[k] >= 0} and {@code merger} is not null, else it is one whole task. A task that is large for its
     * stage (see {@link #splitThreshold}) is also offered as a morsel the policy may split before it starts; the
     * others are split only by idle workers while they run. Outputs the caller will never see go to {@code discard}.
     */
    static <R> Result<R> run(final ExecutionContext ctx, final String name, final long[] rows, final Body<R> body,
                             final Merger<R> merger, final Consumer<R> discard) {
        final int tasks = rows.length;
        final List<Task<R>> list = new ArrayList<>(tasks);
        final long threshold = splitThreshold(rows, ctx.scheduler().config().workers());
        // A policy halves a queued splittable morsel of 2 x minMorselRows or more before it starts. Splitting every
        // partition so costs a partial result per morsel (word count's exchange then carried ~3x the rows), so a task
        // that does not unbalance its stage counts its range in at most 2 x minMorselRows - 1 units (each about
        // rows / units rows, bounded by whole rows: see row()), and is only split by idle workers while it runs.
        final long maxUnsplitUnits = 2 * ctx.scheduler().config().minMorselRows() - 1;
        final boolean chunked = ctx.chunkedTasks();
        final ChunkRates rates = chunked ? ctx.chunkRates(name) : null;
        for (int i = 0; i < tasks; i++) {
            final int k = i;
            final long n = rows[k];
            if (!chunked && merger != null && n > threshold) {
                // Chunked tasks off: only a task that unbalances its stage is a morsel (split before it starts), and
                // each part runs its whole range as one chunk.
                list.add(Task.merging(0, n, tc -> body.run(k, new Chunks(tc, n, n, null), tc), merger::merge));
            } else if (chunked && merger != null && n >= 0) {
                final long units = n > threshold ? n : Math.min(n, maxUnsplitUnits);
                list.add(Task.merging(0, units, tc -> body.run(k, new Chunks(tc, n, units, rates), tc), merger::merge));
            } else {
                list.add(Task.of(tc -> body.run(k, null, tc)));
            }
        }
        final StageResult<R> result = ctx.runStage(Stage.of(name, list, discard));
        final int[] workers = new int[tasks];
        final int[] parts = new int[tasks];
        for (int k = 0; k < tasks; k++) {
            workers[k] = result.metrics().worker(k);
            parts[k] = result.metrics().parts(k);
        }
        return new Result<>(result.results(), workers, parts);
    }

    /** First row of unit {@code unit} of a range of {@code rows} rows counted in {@code units} units. */
    static long row(final long unit, final long rows, final long units) {
        return units == rows ? unit : unit * rows / units;
    }

    /**
     * Tasks above this many rows are offered as morsels the policy may halve before they start (every chunked task
     * may be split while it runs). Splitting every task before it starts costs a partial result per
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

    /**
     * The chunks of one attempt at units {@code [tc.from(), tc.to())} of a task of {@code rows} rows counted in
     * {@code units} units: each {@link #next} claims about {@link #CHUNK_NANOS} of rows at this worker's rate (measured
     * over the chunks before), through {@link TaskContext#nextChunk}; with {@code rates} null, the whole range as
     * one chunk. The attempt must call it until it returns false.
     */
    static final class Chunks {
        private final TaskContext tc;
        private final long rows;
        private final long units;
        private final double rowsPerUnit;
        private final ChunkRates rates;
        private final int worker;
        private long lo;
        private long hi;
        private long startNanos;
        private boolean started;

        Chunks(final TaskContext tc, final long rows, final long units, final ChunkRates rates) {
            this.tc = tc;
            this.rows = rows;
            this.units = units;
            this.rowsPerUnit = units == 0 ? 1 : rows / (double) units;
            this.rates = rates;
            this.worker = tc.worker();
            this.lo = tc.from();
            this.hi = rates == null ? tc.to() : lo;
        }

        /**
         * Claims the next chunk; false once none is left. An attempt over an empty range gets one empty chunk, so
         * every attempt runs at least one.
         */
        boolean next() {
            if (rates == null) {
                // One chunk, set in the constructor: the attempt's whole range, claimed without nextChunk.
                final boolean first = !started;
                started = true;
                return first;
            }
            final long now = System.nanoTime();
            if (started) {
                rates.record(worker, to() - from(), now - startNanos);
            }
            lo = hi;
            hi = tc.nextChunk(rates.chunkUnits(worker, rowsPerUnit, tc.to() - tc.from()));
            startNanos = now;
            if (hi > lo) {
                started = true;
                return true;
            }
            if (!started) {
                started = true;
                return true;
            }
            return false;
        }

        /**
         * Whether this attempt is one chunk, its whole range (chunked tasks off): then {@link #from()} and {@link #to()}
         * give it without a call to {@link #next}.
         */
        boolean single() {
            return rates == null;
        }

        /** First row of the current chunk. */
        int from() {
            return (int) row(lo, rows, units);
        }

        /** End row (exclusive) of the current chunk. */
        int to() {
            return (int) row(hi, rows, units);
        }
    }

    /**
     * Each runner's measured nanos per row for one kind of stage (by name) of one context, kept across stages so a
     * stream's next batch starts with the right chunk size. A slot is written and read only by its own runner's
     * thread (the caller's slot by the thread running the stage): a stale value only sizes one chunk. Wall time, not
     * CPU time: a chunk's rows must take about {@link #CHUNK_NANOS} on this worker whatever slows it (a shared core,
     * a slow node, waiting), since that is what a split cannot take from it.
     */
    static final class ChunkRates {
        private final double[] nanosPerRow;

        ChunkRates(final int runners) {
            this.nanosPerRow = new double[runners];
        }

        /**
         * Units to claim next on {@code worker} for a range of {@code rangeUnits} units of {@code rowsPerUnit} rows:
         * {@link #CHUNK_NANOS} at its rate; without a rate yet, a {@link #PROBE_CHUNKS}th of the range (at least
         * {@link #PROBE_MIN_ROWS} rows).
         */
        long chunkUnits(final int worker, final double rowsPerUnit, final long rangeUnits) {
            final double perRow = worker < nanosPerRow.length ? nanosPerRow[worker] : 0;
            if (!(perRow > 0)) {
                return Math.max((long) Math.ceil(PROBE_MIN_ROWS / rowsPerUnit), rangeUnits / PROBE_CHUNKS);
            }
            return (long) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_NANOS / (perRow * rowsPerUnit)));
        }

        /** Worker {@code worker} ran {@code rows} rows in {@code nanos}: a moving rate, half its last chunk. */
        void record(final int worker, final long rows, final long nanos) {
            if (rows <= 0 || worker >= nanosPerRow.length) {
                return;
            }
            final double sample = Math.max(1, nanos) / (double) rows;
            final double old = nanosPerRow[worker];
            nanosPerRow[worker] = old > 0 ? (old + sample) / 2 : sample;
        }
    }
}
