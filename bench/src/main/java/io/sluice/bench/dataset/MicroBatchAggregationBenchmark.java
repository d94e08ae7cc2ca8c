package io.sluice.bench.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;

import java.util.List;
import java.util.concurrent.TimeUnit;

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
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The streaming latency benchmark's dataset job on one micro-batch: {@code filter(key < 512).groupBy(key)
 * .agg(count()).count()} over 2 zero-copy slices of a batch of {@link #rows} rows ({@code received_ns INT64, key
 * INT32 = row mod 1024}), a new Dataset per batch as a {@code DStreamGraph} output builds it. One operation = one
 * batch, so {@code -prof gc}'s {@code gc.alloc.rate.norm} is the heap bytes per batch (every thread's, the 2 workers'
 * included). {@code reusedAggregators} runs with the default; {@code freshAggregators} forks with
 * {@code -Dsluice.dataset.reuseAggregators=false}, each aggregation growing its arrays from 16 groups as before.
 * Run: {@code java -jar bench/target/benchmarks.jar MicroBatchAggregation -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MicroBatchAggregationBenchmark {
    /** Distinct keys, as in the latency benchmark. */
    public static final int KEYS = 1024;
    private static final Schema SCHEMA = Schema.of(Field.notNull("received_ns", ColumnType.INT64),
        Field.notNull("key", ColumnType.INT32));

    /** Rows per batch: 10K, 250K and 1M records/s at 1 ms batches. */
    @Param({"10", "250", "1000"})
    public int rows;

    private ExecutionContext ctx;
    private Batch batch;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-microbatch", SchedulingPolicy.WORK_STEALING, 2).build());
        try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), SCHEMA, rows)) {
            for (int r = 0; r < rows; r++) {
                builder.setInt64(0, r);
                builder.setInt32(1, r % KEYS);
                builder.finishRow(r);
            }
            batch = builder.build();
        }
        final long expected = Math.min(rows, KEYS / 2);
        if (job() != expected) {
            throw new IllegalStateException("groups=" + job() + " expected=" + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.close();
        ctx.close();
    }

    private long job() {
        final int half = batch.rowCount() / 2;
        try (SourceDataset input = ctx.fromBatches(SCHEMA, List.of(batch.slice(0, half), batch.slice(half, batch.rowCount())))) {
            return input.filter(col("key").lt(lit(KEYS / 2))).groupBy("key").agg(Agg.count()).count();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
    public long reusedAggregators() {
        return job();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=1g", "-Dsluice.dataset.reuseAggregators=false"})
    public long freshAggregators() {
        return job();
    }
}
