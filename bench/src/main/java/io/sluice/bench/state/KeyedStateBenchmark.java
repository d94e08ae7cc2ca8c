package io.sluice.bench.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongBinaryOperator;

import io.sluice.bench.Baseline;
import io.sluice.bench.BenchSchedulers;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.KeySlotIndex;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.state.LongKeyedState;
import io.sluice.engine.stream.state.MapWithState;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.MutableDirectBuffer;
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

/**
 * One micro-batch of {@code mapWithState} (a running count per INT64 key, mapped row = key and count) over a state
 * of {@code keys} keys, {@code rows} input rows per batch drawn uniformly from 1.25 x {@code keys} ids (so a batch
 * brings new keys too). Sluice's off-heap {@link MapWithState} against the baseline, the same semantics on an
 * on-heap {@code HashMap<Long, long[]>} with mapped rows as a {@code List<long[]>}. One operation is one batch.
 * The state grows during a trial towards 1.25 x {@code keys}; both sides see the same batches in the same order.
 *
 * <p>The primitive state is also measured as {@code mapWithLongState} runs it in a stream, from a dataset of two
 * partitions (each batch's halves): read where they are ({@link #sluiceLongStatePartitions}) and, as the operator
 * did before, concatenated into one batch first ({@link #sluiceLongStateConcat}). The setup folds {@value #WARM_BATCHES}
 * batches through each primitive path and the HashMap so that a short run ({@code PairedRatio}) measures compiled code
 * at every size: a 10k-key fill alone does not get the fold loop compiled, a 1M-key one does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dsluice.memory.boundsChecks=false", "-Dagrona.disable.bounds.checks=true", "-Xmx2g"})
public class KeyedStateBenchmark {
    private static final int BATCHES = 16;
    private static final int WARM_BATCHES = 300;
    private static final int REGION_BITS = 11;
    /** The running count, one instance for every primitive path (as one job's operator has one fold). */
    private static final LongBinaryOperator COUNT = (count, v) -> count + 1;
    private static final Schema INPUT = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));
    private static final Schema STATE = Schema.of(Field.notNull("count", ColumnType.INT64));
    private static final Schema MAPPED = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("count", ColumnType.INT64));

    @Param({"100000"})
    public int keys;

    @Param({"10000"})
    public int rows;

    private BufferAllocator allocator;
    private Batch[] inputs;
    private long[][] inputKeys;
    private MapWithState sluice;
    private LongKeyedState primitive;
    private ExecutionContext ctx;
    private List<List<Batch>> halves;
    private Map<Long, long[]> baseline;
    private long time;
    private int next;
    private OffHeapBuffer floor;
    private int floorMask;
    private int[] homes;
    private int[] order;
    private final int[] regionStarts = new int[(1 << REGION_BITS) + 1];

    @Setup(Level.Trial)
    public void setUp() {
        allocator = new BufferAllocator();
        final SplittableRandom random = new SplittableRandom(42);
        inputs = new Batch[BATCHES];
        inputKeys = new long[BATCHES][rows];
        for (int b = 0; b < BATCHES; b++) {
            try (BatchBuilder builder = new BatchBuilder(allocator, INPUT, rows)) {
                for (int r = 0; r < rows; r++) {
                    inputKeys[b][r] = random.nextInt(keys + keys / 4);
                    builder.setInt64(0, inputKeys[b][r]).setInt64(1, r).endRow();
                }
                inputs[b] = builder.build();
            }
        }
        sluice = new MapWithState("bench", allocator, INPUT, List.of("k"), StateSpec.function((key, value, state) -> {
            final long count = state.exists() ? (Long) state.get()[0] + 1 : 1;
            state.update(new Object[] {count});
            return new Object[] {key[0], count};
        }, STATE, MAPPED));
        baseline = new HashMap<>();
        // Fill both states with the keys first so the trial measures steady-state batches, not the initial growth.
        for (int i = 0; i < keys; i++) {
            baseline.put((long) i, new long[] {1});
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, INPUT, keys)) {
            for (int i = 0; i < keys; i++) {
                builder.setInt64(0, i).setInt64(1, 0).endRow();
            }
            try (Batch all = builder.build()) {
                sluice.apply(++time, all).release();
                primitive = new LongKeyedState("bench-primitive", allocator, 0);
                primitive.update(time, all, 0, 1, COUNT).release();
            }
        }
        ctx = ExecutionContext.create(BenchSchedulers.quickWake("bench-keyed", SchedulingPolicy.WORK_STEALING, 2).build(),
            allocator, 2);
        halves = new ArrayList<>();
        for (final Batch input : inputs) {
            halves.add(List.of(input.slice(0, rows / 2), input.slice(rows / 2, rows)));
        }
        // The table's size once it holds the 1.25 x keys ids: the least power of two at most 2/3 full.
        int slots = primitive.capacity();
        while (slots * 2L / 3 < keys + keys / 4) {
            slots *= 2;
        }
        floorMask = slots - 1;
        floor = allocator.allocate((long) (floorMask + 1) << 5);
        homes = new int[rows];
        order = new int[rows];
        for (int i = 0; i < WARM_BATCHES; i++) {
            randomSlotFloor();
            partitionedSlotFloor();
            sluiceLongKeyedState();
            sluiceLongStatePartitions();
            sluiceLongStateConcat();
            hashMapBaseline();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (final Batch batch : inputs) {
            batch.release();
        }
        for (final List<Batch> pair : halves) {
            pair.forEach(Batch::release);
        }
        ctx.close();
        sluice.close();
        primitive.close();
        floor.release();
        allocator.close();
    }

    /** Sluice: one batch through the off-heap operator; returns the mapped row count. */
    @Benchmark
    public int sluiceMapWithState() {
        final Batch input = inputs[next++ & (BATCHES - 1)];
        try (Batch out = sluice.apply(++time, input)) {
            return out.rowCount();
        }
    }

    /**
     * Sluice, primitive: the same running count with {@link LongKeyedState}, the off-heap table updated in place
     * (O(rows) per batch, nothing boxed); returns the mapped row count.
     */
    @Benchmark
    public int sluiceLongKeyedState() {
        final Batch input = inputs[next++ & (BATCHES - 1)];
        try (Batch out = primitive.update(++time, input, 0, 1, COUNT)) {
            return out.rowCount();
        }
    }

    /**
     * Sluice, primitive, as the {@code mapWithLongState} operator runs a batch time: the partitions of the batch's
     * dataset (its two halves) computed and folded where they are, one output batch per partition.
     */
    @Benchmark
    public int sluiceLongStatePartitions() {
        final List<Batch> parts = DatasetBatches.materialize(DatasetBatches.borrow(ctx, INPUT, halves.get(next++ & (BATCHES - 1))));
        int out = 0;
        try {
            for (final Batch batch : primitive.update(++time, parts, 0, 1, COUNT)) {
                out += batch.rowCount();
                batch.release();
            }
        } finally {
            parts.forEach(Batch::release);
        }
        return out;
    }

    /** As {@link #sluiceLongStatePartitions} with the partitions concatenated into one batch first (the operator before). */
    @Benchmark
    public int sluiceLongStateConcat() {
        final List<Batch> parts = DatasetBatches.materialize(DatasetBatches.borrow(ctx, INPUT, halves.get(next++ & (BATCHES - 1))));
        try (Batch input = BatchBuilder.concatAndRelease(allocator, INPUT, parts);
             Batch out = primitive.update(++time, input, 0, 1, COUNT)) {
            return out.rowCount();
        }
    }

    /**
     * The memory floor, not a keyed state: each row reads and writes one 32-byte slot at its key's home position in
     * an off-heap array of the state table's size, with no probing, no key compare and no output. The rows' accesses
     * are independent, so the CPU overlaps their misses as far as it can: what one random access per row into a table
     * of this size costs on this machine. Returns a checksum.
     */
    @Benchmark
    public long randomSlotFloor() {
        final Int64Vector k = inputs[next++ & (BATCHES - 1)].int64Vector(0);
        final MutableDirectBuffer slots = floor.buffer();
        final int mask = floorMask;
        long sum = 0;
        for (int r = 0; r < k.rowCount(); r++) {
            final int at = ((int) KeySlotIndex.mix(k.get(r)) & mask) << 5;
            final long v = slots.getLong(at + 8) + 1;
            slots.putLong(at + 8, v);
            sum += v;
        }
        return sum;
    }

    /**
     * {@link #randomSlotFloor} with the batch's rows partitioned by table region first (one counting-sort pass on the
     * top {@value #REGION_BITS} bits of the home slot, stable), so the accesses sweep the table in order: what
     * radix-partitioning a batch before folding could gain in page and line locality, the partitioning included.
     */
    @Benchmark
    public long partitionedSlotFloor() {
        final Int64Vector k = inputs[next++ & (BATCHES - 1)].int64Vector(0);
        final MutableDirectBuffer slots = floor.buffer();
        final int mask = floorMask;
        final int rowCount = k.rowCount();
        final int shift = Math.max(0, Integer.numberOfTrailingZeros(mask + 1) - REGION_BITS);
        Arrays.fill(regionStarts, 0);
        for (int r = 0; r < rowCount; r++) {
            homes[r] = (int) KeySlotIndex.mix(k.get(r)) & mask;
            regionStarts[(homes[r] >>> shift) + 1]++;
        }
        for (int i = 1; i < regionStarts.length; i++) {
            regionStarts[i] += regionStarts[i - 1];
        }
        for (int r = 0; r < rowCount; r++) {
            order[regionStarts[homes[r] >>> shift]++] = homes[r];
        }
        long sum = 0;
        for (int i = 0; i < rowCount; i++) {
            final int at = order[i] << 5;
            final long v = slots.getLong(at + 8) + 1;
            slots.putLong(at + 8, v);
            sum += v;
        }
        return sum;
    }

    /** Baseline: the same batch with a HashMap of boxed keys (reading the same off-heap input column). */
    @Benchmark
    @Baseline
    public int hashMapBaseline() {
        final Batch input = inputs[next++ & (BATCHES - 1)];
        final Int64Vector k = input.int64Vector(0);
        final List<long[]> out = new ArrayList<>(input.rowCount());
        for (int r = 0; r < input.rowCount(); r++) {
            final long key = k.get(r);
            final long[] count = baseline.computeIfAbsent(key, x -> new long[1]);
            count[0]++;
            out.add(new long[] {key, count[0]});
        }
        return out.size();
    }
}
