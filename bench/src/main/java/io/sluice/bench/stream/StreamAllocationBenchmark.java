package io.sluice.bench.stream;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;

/**
 * The streaming hot path of the latency benchmark, one micro-batch per operation: a producer offers {@link #rows}
 * rows one by one ({@link TimestampEmitter}), then the manual clock moves 1 ms and the stream cuts the batch, hands it
 * to the job thread and runs the job to completion. Job {@code dataset} is the latency benchmark's
 * {@code DStreamGraph} output, {@code filter(key < 512).groupBy(key).agg(count()).count()} over 2 zero-copy slices
 * on 2 work-stealing workers; job {@code none} only sums the batch's first column ({@code foreachBatch}), the stream's
 * own cost. With {@code -prof gc}, {@code gc.alloc.rate.norm} is every thread's heap bytes per batch; fitting
 * {@code bytes = a + b * rows} over the row counts separates what each batch costs ({@code a}) from what each record
 * costs ({@code b}). {@code rowWriter} offers through {@link io.sluice.engine.stream.source.RowWriter} (no allocation
 * per row), {@code boxedOfferRow} through {@link QueueSource#offerRow} (boxed values, a varargs array per row).
 * Run: {@code scripts/bench StreamAllocation -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
public class StreamAllocationBenchmark {
    private static final Duration WAIT = Duration.ofMinutes(1);

    /** Rows per 1 ms batch: 100K to 10M records/s. */
    @Param({"100", "1000", "10000"})
    public int rows;

    /** The per-batch work: {@code dataset} or {@code none}. */
    @Param({"dataset", "none"})
    public String job;

    private BufferAllocator allocator;
    private ExecutionContext exec;
    private StreamingContext streaming;
    private ManualStreamClock clock;
    private TimestampEmitter typed;
    private TimestampEmitter boxed;
    private final AtomicLong processed = new AtomicLong();
    private long sequence;
    private long batchTime;

    @Setup(Level.Trial)
    public void setUp() {
        exec = ExecutionContext.create(BenchSchedulers.quickWake("bench-stream-alloc", SchedulingPolicy.WORK_STEALING, 2).build());
        allocator = exec.allocator();
        clock = new ManualStreamClock(0);
        streaming = StreamingContext.builder().batchInterval(Duration.ofMillis(1)).allocator(allocator).clock(clock).build();
        final QueueSource source = QueueSource.create("events", TimestampEmitter.SCHEMA, 1 << 16);
        final StreamInput input = streaming.input(source);
        if ("dataset".equals(job)) {
            DStreamGraph.on(streaming, exec).partitions(2).stream(input).foreachBatch((time, dataset) -> processed.addAndGet(
                dataset.filter(col("key").lt(lit(TimestampEmitter.KEYS / 2))).groupBy("key").agg(Agg.count()).count()));
        } else if ("none".equals(job)) {
            streaming.foreachBatch(input, (time, batch) -> processed.addAndGet(batch.int64Vector(0).sum()));
        } else {
            throw new IllegalArgumentException("job=" + job + " is not dataset or none");
        }
        streaming.start();
        typed = new TimestampEmitter(source);
        boxed = TimestampEmitter.boxed(source);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        streaming.stop(true);
        streaming.close();
        exec.close();
    }

    /** Offers the batch's rows through {@code emitter}, then has the stream cut and process the batch. */
    private long batch(final TimestampEmitter emitter) throws InterruptedException {
        for (int r = 0; r < rows; r++) {
            final QueueSource.Offer offer = emitter.emit(sequence++);
            if (offer != QueueSource.Offer.ACCEPTED) {
                throw new IllegalStateException("row " + sequence + " offer=" + offer);
            }
        }
        batchTime += 1;
        clock.advanceMillis(1);
        if (!streaming.awaitBatchCompleted(batchTime, WAIT)) {
            throw new IllegalStateException("batch " + batchTime + " not completed within " + WAIT);
        }
        return processed.get();
    }

    @Benchmark
    public long rowWriter() throws InterruptedException {
        return batch(typed);
    }

    @Benchmark
    public long boxedOfferRow() throws InterruptedException {
        return batch(boxed);
    }
}
