package io.sluice.bench.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

import io.sluice.bench.Baseline;
import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * An inner equi-join of a fact table ({@link #FACTS} rows: key, value) with a dimension table ({@link #DIMENSIONS}
 * rows: key, label), every fact matching one dimension row; keys INT64 or UTF8 (non-ASCII prefix). Sluice
 * ({@link #WORKERS} workers, both sides hash-exchanged into {@link #PARTITIONS} partitions, the join's output
 * batches built and counted) against plain Java on the same parallelism: a {@code HashMap} from key to dimension row
 * built on one thread, probed by a parallel stream over the facts that gathers the joined (value, label) pairs into
 * arrays. Setup checks both count the same rows. Score: ms per join.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:MaxDirectMemorySize=1g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"})
public class HashJoinBenchmark {
    /** Rows of the probe (left) side. */
    public static final int FACTS = 200_000;
    /** Rows of the build (right) side, one per key. */
    public static final int DIMENSIONS = 50_000;
    /** Sluice partitions of each input, and of the exchange. */
    public static final int PARTITIONS = 16;
    /** Sluice workers, and the parallelism of the baseline's common pool. */
    public static final int WORKERS = 2;

    @Param({"INT64", "UTF8"})
    public String keyType;

    private ExecutionContext ctx;
    private Dataset facts;
    private Dataset dimensions;
    private Object[] factKeys;
    private long[] factValues;
    private Object[] dimensionKeys;
    private String[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        if (ForkJoinPool.getCommonPoolParallelism() != WORKERS) {
            throw new IllegalStateException("common pool parallelism=" + ForkJoinPool.getCommonPoolParallelism()
                + " expected=" + WORKERS + " (set -Djava.util.concurrent.ForkJoinPool.common.parallelism)");
        }
        final ColumnType type = ColumnType.valueOf(keyType);
        final SplittableRandom random = new SplittableRandom(42);
        factKeys = new Object[FACTS];
        factValues = new long[FACTS];
        for (int i = 0; i < FACTS; i++) {
            factKeys[i] = key(type, random.nextInt(DIMENSIONS));
            factValues[i] = i;
        }
        dimensionKeys = new Object[DIMENSIONS];
        labels = new String[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            dimensionKeys[i] = key(type, i);
            labels[i] = "label-" + i;
        }
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-join", SchedulingPolicy.WORK_STEALING, WORKERS).build());
        facts = ctx.fromBatches(Schema.of(Field.notNull("k", type), Field.notNull("v", ColumnType.INT64)),
            batches(Schema.of(Field.notNull("k", type), Field.notNull("v", ColumnType.INT64)), factKeys, factValues, null));
        dimensions = ctx.fromBatches(Schema.of(Field.notNull("k", type), Field.notNull("label", ColumnType.UTF8)),
            batches(Schema.of(Field.notNull("k", type), Field.notNull("label", ColumnType.UTF8)), dimensionKeys, null, labels));
        final long sluice = joinSluice();
        final long java = joinHashMap();
        if (sluice != java || sluice != FACTS) {
            throw new IllegalStateException("joined rows differ: sluice=" + sluice + " java=" + java + " facts=" + FACTS);
        }
    }

    private static Object key(final ColumnType type, final int id) {
        return type == ColumnType.INT64 ? (Object) (id * 7_919L) : "ключ-" + id;
    }

    private List<Batch> batches(final Schema schema, final Object[] keys, final long[] values, final String[] strings) {
        final List<Batch> out = new ArrayList<>(PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            final int from = (int) ((long) keys.length * p / PARTITIONS);
            final int to = (int) ((long) keys.length * (p + 1) / PARTITIONS);
            try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), schema, to - from)) {
                for (int i = from; i < to; i++) {
                    if (keys[i] instanceof Long) {
                        builder.setInt64(0, (Long) keys[i]);
                    } else {
                        builder.setUtf8(0, (String) keys[i]);
                    }
                    if (values != null) {
                        builder.setInt64(1, values[i]);
                    } else {
                        builder.setUtf8(1, strings[i]);
                    }
                    builder.endRow();
                }
                out.add(builder.build());
            }
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    /** Rows of the join's output batches. */
    @Benchmark
    public long joinSluice() {
        return facts.join(dimensions, "k", JoinType.INNER).count();
    }

    /** Joined (value, label) pairs gathered into per-chunk arrays; returns their count. */
    @Benchmark
    @Baseline
    public long joinHashMap() {
        final Map<Object, Integer> index = new HashMap<>(DIMENSIONS * 2);
        for (int i = 0; i < DIMENSIONS; i++) {
            index.put(dimensionKeys[i], i);
        }
        final int chunks = PARTITIONS;
        return IntStream.range(0, chunks).parallel().mapToLong(c -> {
            final int from = (int) ((long) FACTS * c / chunks);
            final int to = (int) ((long) FACTS * (c + 1) / chunks);
            final long[] values = new long[to - from];
            final String[] joined = new String[to - from];
            int n = 0;
            for (int i = from; i < to; i++) {
                final Integer match = index.get(factKeys[i]);
                if (match != null) {
                    values[n] = factValues[i];
                    joined[n++] = labels[match];
                }
            }
            return n;
        }).sum();
    }
}
