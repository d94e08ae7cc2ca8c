package io.sluice.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * A streaming job for the dashboard tests: generated words counted into keyed state ({@code updateStateByKey}), plus
 * per batch one stage of sleeping tasks on a work-stealing pool where one worker is slow, so the timeline has steals.
 * A listener registered before the dashboard's records every {@link BatchInfo}.
 */
final class UiTestJob implements AutoCloseable {
    static final Schema WORDS = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64));
    static final Schema STATE = Schema.of(Field.notNull("total", ColumnType.INT64));

    final BufferAllocator allocator = new BufferAllocator();
    final ExecutionContext exec;
    final StreamingContext streaming;
    final DStreamGraph graph;
    final GeneratorSource source;
    final List<BatchInfo> completed = new CopyOnWriteArrayList<>();
    final int slowWorker;

    /**
     * {@code workers} workers (worker {@code slowWorker} {@code slowFactor} times slower), batches every
     * {@code intervalMillis}, {@code rate} records/s up to {@code recordLimit}, and per batch {@code tasks} tasks of
     * {@code taskMicros} each.
     */
    UiTestJob(final String name, final int workers, final int slowWorker, final double slowFactor, final long intervalMillis,
              final double rate, final long recordLimit, final int tasks, final long taskMicros) {
        this(name, workers, slowWorker, slowFactor, intervalMillis, rate, recordLimit, tasks, taskMicros, null);
    }

    /** As above, logging input and snapshotting the keyed state every 2 batches in {@code checkpoint} when not null. */
    UiTestJob(final String name, final int workers, final int slowWorker, final double slowFactor, final long intervalMillis,
              final double rate, final long recordLimit, final int tasks, final long taskMicros, final Path checkpoint) {
        this.slowWorker = slowWorker;
        final FaultInjection faults = slowWorker < 0 ? FaultInjection.none() : FaultInjection.none().slowWorker(slowWorker, slowFactor);
        exec = ExecutionContext.create(SchedulerConfig.builder().name(name).workers(workers).policy(SchedulingPolicy.WORK_STEALING)
            .faults(faults).build(), allocator, workers);
        final StreamingContext.Builder builder = StreamingContext.builder().batchInterval(Duration.ofMillis(intervalMillis))
            .allocator(allocator);
        streaming = (checkpoint == null ? builder : builder.checkpointFolder(checkpoint).checkpointEvery(2)).build();
        streaming.addListener(new StreamingListener() {
            @Override
            public void onBatchCompleted(final BatchInfo info) {
                completed.add(info);
            }
        });
        source = GeneratorSource.builder("words", WORDS).ratePerSecond(rate).vocabulary(50).recordLimit(recordLimit).build();
        graph = DStreamGraph.on(streaming, exec);
        graph.stream(streaming.input(source)).updateStateByKey(List.of("word"), STATE,
            (key, values, previous) -> Optional.of(new Object[] {previous.map(row -> (Long) row[0]).orElse(0L) + values.size()}))
            .foreachBatch((time, state) -> { });
        if (tasks > 0) {
            final long nanos = taskMicros * 1000;
            streaming.addJob(batch -> {
                final List<Task<Integer>> list = new ArrayList<>(tasks);
                for (int i = 0; i < tasks; i++) {
                    list.add(Task.of(ctx -> {
                        // park may return early (a spurious wake-up, or the permit of the unpark that published a
                        // stage): park until the deadline, unless interrupted (a speculative race was lost).
                        final long deadline = System.nanoTime() + (long) (nanos * ctx.slowdown());
                        for (long left = deadline - System.nanoTime(); left > 0 && !Thread.currentThread().isInterrupted();
                             left = deadline - System.nanoTime()) {
                            LockSupport.parkNanos(left);
                        }
                        return ctx.taskId();
                    }));
                }
                exec.scheduler().run(Stage.of("work", list));
            });
        }
    }

    /** Completed batches so far, as the job's own listener saw them. */
    List<BatchInfo> batches() {
        return List.copyOf(completed);
    }

    /** Waits until {@code n} batches completed; fails after {@code timeout}. */
    void awaitBatches(final int n, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (completed.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + completed.size() + " of " + n + " batches completed in " + timeout);
            }
            if (streaming.failure().isPresent()) {
                throw new AssertionError("job failed", streaming.failure().get());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        try {
            graph.stop(false);
        } finally {
            exec.close();
            allocator.close();
        }
    }
}
