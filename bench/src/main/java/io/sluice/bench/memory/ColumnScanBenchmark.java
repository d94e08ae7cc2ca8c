package io.sluice.bench.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sluice.bench.Baseline;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sum and filter-then-sum over one 16M-row INT64 column held four ways: a Sluice off-heap {@link Int64Vector}
 * (per-row {@code get}, its {@code sum()}, and a loop over its {@code dataBuffer()}), an on-heap {@code long[]}, a
 * {@code ByteBuffer.allocateDirect} and a {@code List<Long>}. One operation is one full scan; rows/s = ops/s x 16M.
 *
 * <p>Forks run with the safety a user gets by default: Sluice bounds checks and Agrona's UnsafeBuffer checks both
 * on. {@link ColumnScanChecksOffBenchmark} runs the same methods with both off, the tuned setting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:MaxDirectMemorySize=1g"})
public class ColumnScanBenchmark {
    /** Rows in the column. */
    public static final int ROWS = 16 * 1024 * 1024;
    /** Values are uniform in [-BOUND, BOUND); the filter keeps values above 0, about half. */
    private static final long BOUND = 1_000_000L;

    private long[] array;
    private ByteBuffer direct;
    private List<Long> boxed;
    private BufferAllocator allocator;
    private Batch batch;
    private Int64Vector vector;

    @Setup(Level.Trial)
    public void setUp() {
        final SplittableRandom random = new SplittableRandom(42);
        array = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            array[i] = random.nextLong(-BOUND, BOUND);
        }
        direct = ByteBuffer.allocateDirect(ROWS * Long.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < ROWS; i++) {
            direct.putLong(i * Long.BYTES, array[i]);
        }
        boxed = new ArrayList<>(ROWS);
        for (final long value : array) {
            boxed.add(value);
        }
        allocator = new BufferAllocator();
        final Schema schema = Schema.of(Field.notNull("v", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, ROWS)) {
            batch = builder.appendInt64Column(0, array).build();
        }
        vector = batch.int64Vector(0);
        if (vector.sum() != sumLongArray()) {
            throw new IllegalStateException("off-heap column does not match the array");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.close();
        allocator.close();
        BufferUtil.free(direct);
        direct = null;
        array = null;
        boxed = null;
    }

    @Benchmark
    @Baseline
    public long sumLongArray() {
        final long[] values = array;
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
        }
        return sum;
    }

    @Benchmark
    public long sumOffHeapGet() {
        final Int64Vector column = vector;
        final int rows = column.rowCount();
        long sum = 0;
        for (int row = 0; row < rows; row++) {
            sum += column.get(row);
        }
        return sum;
    }

    @Benchmark
    public long sumOffHeapVectorSum() {
        return vector.sum();
    }

    @Benchmark
    public long sumOffHeapDataBuffer() {
        final DirectBuffer data = vector.dataBuffer();
        final int end = vector.rowCount() * Long.BYTES;
        long sum = 0;
        for (int index = 0; index < end; index += Long.BYTES) {
            sum += data.getLong(index);
        }
        return sum;
    }

    @Benchmark
    public long sumDirectByteBuffer() {
        final ByteBuffer values = direct;
        final int end = ROWS * Long.BYTES;
        long sum = 0;
        for (int index = 0; index < end; index += Long.BYTES) {
            sum += values.getLong(index);
        }
        return sum;
    }

    @Benchmark
    public long sumBoxedList() {
        long sum = 0;
        for (final Long value : boxed) {
            sum += value;
        }
        return sum;
    }

    @Benchmark
    @Baseline
    public long filterSumLongArray() {
        final long[] values = array;
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            final long value = values[i];
            if (value > 0) {
                sum += value;
            }
        }
        return sum;
    }

    @Benchmark
    public long filterSumOffHeapGet() {
        final Int64Vector column = vector;
        final int rows = column.rowCount();
        long sum = 0;
        for (int row = 0; row < rows; row++) {
            final long value = column.get(row);
            if (value > 0) {
                sum += value;
            }
        }
        return sum;
    }

    @Benchmark
    public long filterSumOffHeapDataBuffer() {
        final DirectBuffer data = vector.dataBuffer();
        final int end = vector.rowCount() * Long.BYTES;
        long sum = 0;
        for (int index = 0; index < end; index += Long.BYTES) {
            final long value = data.getLong(index);
            if (value > 0) {
                sum += value;
            }
        }
        return sum;
    }

    @Benchmark
    public long filterSumDirectByteBuffer() {
        final ByteBuffer values = direct;
        final int end = ROWS * Long.BYTES;
        long sum = 0;
        for (int index = 0; index < end; index += Long.BYTES) {
            final long value = values.getLong(index);
            if (value > 0) {
                sum += value;
            }
        }
        return sum;
    }

    @Benchmark
    public long filterSumBoxedList() {
        long sum = 0;
        for (final Long value : boxed) {
            if (value > 0) {
                sum += value;
            }
        }
        return sum;
    }
}
