package io.sluice.engine.stream.dstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.stream.MicroBatch;
import io.sluice.engine.stream.MicroBatchJob;
import io.sluice.engine.stream.StopHooks;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DStreams of one {@link StreamingContext}, evaluated on one {@link ExecutionContext}. {@link #on} registers a
 * single {@link MicroBatchJob} that, per batch time, wraps each input's micro-batch as a source Dataset of
 * {@link #partitions()} zero-copy slices, evaluates the lineage of every output operation and runs the outputs in
 * the order they were registered. Every batch the evaluation makes is released when the batch time ends; windows
 * keep theirs until they leave the window, and {@link #stop(boolean)} releases the rest.
 *
 * <p>Stopping the streaming context (or the graph, which stops its context) releases what windows and state still
 * hold: the graph registers that as the context's stop hook.
 *
 * <p>Build the graph (streams, outputs) before {@link StreamingContext#start()}. Evaluation runs on the context's
 * job executor thread only; the graph is not meant to be shared with other threads while running.
 *
 * <p>Extension point (package-private): a {@link DStream} subclass implements {@code compute(batchTime)}, reads
 * its parents through {@code parent.at(batchTime)}, releases per-batch batches through {@link #releaseAfterBatch},
 * long-lived resources through {@link #onStop}, and registers keyed state for checkpoints with
 * {@link #registerCheckpointed}.
 */
public final class DStreamGraph implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DStreamGraph.class);

    private final StreamingContext streaming;
    private final ExecutionContext exec;
    private final List<Output> outputs = new ArrayList<>();
    private List<Output> frozenOutputs;
    private final List<Runnable> stopHooks = new ArrayList<>();
    private final List<Checkpointed> checkpointed = new ArrayList<>();
    private final Map<DStream, Dataset> memo = new IdentityHashMap<>();
    private final List<Batch> scoped = new ArrayList<>();
    private final Map<String, Integer> operatorCounts = new HashMap<>();
    private final List<WatermarkedDStream> watermarks = new ArrayList<>();
    private final List<LongSupplier> lateCounters = new ArrayList<>();
    private long lateReported;
    private int partitions;
    private WindowSemantics windowSemantics = WindowSemantics.SLUICE;
    private MicroBatch current;
    private boolean running;
    private boolean stopped;

    /** One output operation: a stream and what to do with its dataset of each batch time. */
    private record Output(DStream stream, DatasetJob job) {
    }

    private DStreamGraph(final StreamingContext streaming, final ExecutionContext exec) {
        this.streaming = streaming;
        this.exec = exec;
        this.partitions = Math.max(1, exec.scheduler().config().workers());
    }

    /**
     * A graph over {@code streaming} evaluated on {@code exec}; registers its one job with the context (so call it
     * before {@link StreamingContext#start()}). Both contexts stay owned by the caller.
     */
    public static DStreamGraph on(final StreamingContext streaming, final ExecutionContext exec) {
        final DStreamGraph graph = new DStreamGraph(Objects.requireNonNull(streaming, "streaming"),
            Objects.requireNonNull(exec, "exec"));
        streaming.addJob(graph::process);
        streaming.onStop(graph::releaseHeld);
        return graph;
    }

    /** Slices per input micro-batch (default: the scheduler's worker count). Before start. */
    public synchronized DStreamGraph partitions(final int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("partitions=" + value + " must be > 0");
        }
        this.partitions = value;
        return this;
    }

    public synchronized int partitions() {
        return partitions;
    }

    /**
     * How this graph's windows align their slides and treat keys that left an inverse-reduce window (default
     * {@link WindowSemantics#SLUICE}; {@link WindowSemantics#SPARK} for Spark Streaming's behaviour). Before start.
     */
    public synchronized DStreamGraph windowSemantics(final WindowSemantics value) {
        if (running || stopped) {
            throw new IllegalStateException("window semantics are set before the graph runs a batch");
        }
        this.windowSemantics = Objects.requireNonNull(value, "windowSemantics");
        return this;
    }

    public synchronized WindowSemantics windowSemantics() {
        return windowSemantics;
    }

    /** A stream of the micro-batches of {@code input}, which must belong to this graph's context. */
    public DStream stream(final StreamInput input) {
        if (!streaming.inputs().contains(input)) {
            throw new IllegalArgumentException("input '" + input.name() + "' does not belong to this streaming context");
        }
        return new InputDStream(this, input);
    }

    public StreamingContext streamingContext() {
        return streaming;
    }

    public ExecutionContext executionContext() {
        return exec;
    }

    public long batchIntervalMillis() {
        return streaming.batchIntervalMillis();
    }

    /** The stateful operators that registered for checkpoints, in registration order. */
    public synchronized List<Checkpointed> checkpointedOperators() {
        return List.copyOf(checkpointed);
    }

    /**
     * Stops the streaming context ({@link StreamingContext#stop(boolean)}), then releases everything the graph's
     * operators still hold (windows, state), even if the stop threw. Idempotent.
     */
    public void stop(final boolean graceful) {
        try {
            streaming.stop(graceful);
        } finally {
            releaseHeld();
        }
    }

    /** {@code stop(false)}. */
    @Override
    public void close() {
        stop(false);
    }

    private void releaseHeld() {
        final List<Runnable> hooks;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            hooks = new ArrayList<>(stopHooks);
        }
        final RuntimeException first = StopHooks.runNewestFirst(hooks, LOG);
        if (first != null) {
            throw first;
        }
    }

    // ---- extension point (package-private) ------------------------------------------------------------------

    /** Adds an output operation run on every batch time at which {@code stream} has a dataset. */
    synchronized void addOutput(final DStream stream, final DatasetJob job) {
        if (running || stopped) {
            throw new IllegalStateException("cannot add an output to " + stream + ": the graph already ran batches or stopped");
        }
        if (stream.graph() != this) {
            throw new IllegalArgumentException("stream belongs to another graph");
        }
        outputs.add(new Output(stream, Objects.requireNonNull(job, "job")));
    }

    /** Runs {@code hook} once when the graph stops (hooks run in reverse registration order). */
    synchronized void onStop(final Runnable hook) {
        stopHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Registers keyed state with the streaming context ({@link StreamingContext#addCheckpointed}), which snapshots it
     * every k batches and restores it on a restart; names must be unique.
     */
    synchronized void registerCheckpointed(final Checkpointed operator) {
        streaming.addCheckpointed(operator);
        checkpointed.add(operator);
    }

    /**
     * A name for a stateful operator of {@code kind} that is stable across restarts of the same program: the kind
     * and how many of that kind were defined before it ("window-0", "window-1", ...).
     */
    synchronized String operatorName(final String kind) {
        final int n = operatorCounts.merge(kind, 1, Integer::sum) - 1;
        return kind + "-" + n;
    }

    /** The name the next {@link #operatorName} call of {@code kind} returns (for errors before an operator is named). */
    synchronized String peekOperatorName(final String kind) {
        return kind + "-" + operatorCounts.getOrDefault(kind, 0);
    }

    /** Adds a watermark to the per-batch report: {@link BatchInfo#watermarkMillis()} is the smallest of them. */
    synchronized void registerWatermark(final WatermarkedDStream watermark) {
        watermarks.add(watermark);
    }

    /** Adds an event-time operator's running count of late rows to {@link BatchInfo#lateRecords()}. */
    synchronized void registerLateCounter(final LongSupplier lateRecords) {
        lateCounters.add(lateRecords);
    }

    /** The micro-batch being evaluated (only during a batch time, on the job executor thread). */
    MicroBatch currentBatch() {
        if (current == null) {
            throw new IllegalStateException("no batch time is being evaluated");
        }
        return current;
    }

    /** Takes over one reference to {@code batch} and releases it when the current batch time ends. */
    Batch releaseAfterBatch(final Batch batch) {
        scoped.add(batch);
        return batch;
    }

    /** A dataset borrowing {@code batches} (kept alive by the caller at least until this batch time ends). */
    Dataset borrow(final Schema schema, final List<Batch> batches) {
        return DatasetBatches.borrow(exec, schema, batches);
    }

    /** A dataset of no rows of {@code schema}, for learning the schema of an operator chain at definition time. */
    Dataset empty(final Schema schema) {
        return DatasetBatches.borrow(exec, schema, List.of());
    }

    /** The dataset of {@code stream} at {@code batchTime}, computed at most once per batch time (null: none). */
    Dataset datasetAt(final DStream stream, final long batchTime) {
        if (memo.containsKey(stream)) {
            return memo.get(stream);
        }
        final Dataset dataset = stream.compute(batchTime);
        memo.put(stream, dataset);
        return dataset;
    }

    private void process(final MicroBatch batch) throws Exception {
        final List<Output> todo;
        synchronized (this) {
            running = true;
            // Outputs are fixed once the graph runs (addOutput refuses then): copied once, not per batch.
            if (frozenOutputs == null) {
                frozenOutputs = List.copyOf(outputs);
            }
            todo = frozenOutputs;
        }
        current = batch;
        final long time = batch.batchTimeMillis();
        try {
            for (final Output output : todo) {
                final Dataset dataset = datasetAt(output.stream(), time);
                if (dataset != null) {
                    output.job().process(time, dataset);
                }
            }
            reportEventTime(batch);
        } finally {
            current = null;
            memo.clear();
            releaseScoped();
        }
    }

    /** Puts the smallest watermark and the rows dropped as late in this batch time on the micro-batch's report. */
    private void reportEventTime(final MicroBatch batch) {
        if (watermarks.isEmpty() && lateCounters.isEmpty()) {
            return;
        }
        long watermark = Long.MAX_VALUE;
        for (final WatermarkedDStream w : watermarks) {
            watermark = Math.min(watermark, w.watermark());
        }
        long late = 0;
        for (final LongSupplier counter : lateCounters) {
            late += counter.getAsLong();
        }
        batch.reportEventTime(watermarks.isEmpty() ? Long.MIN_VALUE : watermark, late - lateReported);
        lateReported = late;
    }

    private void releaseScoped() {
        RuntimeException first = null;
        for (final Batch batch : scoped) {
            try {
                batch.release();
            } catch (final RuntimeException ex) {
                if (first == null) {
                    first = ex;
                }
            }
        }
        scoped.clear();
        if (first != null) {
            throw first;
        }
    }
}
