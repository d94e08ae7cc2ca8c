package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.engine.dataset.SkewAndSchedulingPolicyTest.parkUntil;
import static io.sluice.engine.dataset.SkewAndSchedulingPolicyTest.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.StageFailedException;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Tasks over partitions of known size run in chunks ({@link PartitionStage}): a task split while it runs gives the
 * rows of an unsplit run in the same order, a chunk that throws releases the outputs of the chunks before it, and a
 * losing speculative copy's chunk outputs are released.
 */
class ChunkedTaskTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64),
        Field.notNull("s", ColumnType.UTF8));

    private final BufferAllocator allocator = new BufferAllocator();
    private final List<ExecutionContext> contexts = new ArrayList<>();

    @AfterEach
    void tearDown() {
        contexts.forEach(ExecutionContext::close);
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private ExecutionContext context(final SchedulerConfig.Builder config) {
        final ExecutionContext ctx = ExecutionContext.create(config.build(), allocator, 3).chunkedTasks(true);
        contexts.add(ctx);
        return ctx;
    }

    /** Row {@code r} of partition {@code p}: k = r mod 7, v = p x 10^6 + r, s = two or three words. */
    private static void appendRow(final BatchBuilder b, final int p, final long r) {
        b.setInt64(0, r % 7).setInt64(1, p * 1_000_000L + r).setUtf8(2, "w" + r % 5 + " x" + r % 3 + (r % 4 == 0 ? " y" : ""))
            .endRow();
    }

    /**
     * A generator of {@code partitions} partitions of {@code rows} rows whose ranges run {@code hook} first (with the
     * partition and the range).
     */
    private static PartitionGenerator.Ranged generator(final long rows, final RangeHook hook) {
        return new PartitionGenerator.Ranged() {
            @Override
            public long rows(final int partition) {
                return rows;
            }

            @Override
            public void generate(final int partition, final long from, final long to, final BatchBuilder builder) {
                hook.before(partition, from, to);
                for (long r = from; r < to; r++) {
                    appendRow(builder, partition, r);
                }
            }
        };
    }

    @FunctionalInterface
    private interface RangeHook {
        void before(int partition, long from, long to);
    }

    /** The rows the job below gives, in partition and row order, from plain Java. */
    private static List<Object[]> expectedChain(final int partitions, final long rows) {
        final List<Object[]> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (long r = 0; r < rows; r++) {
                if (r % 7 > 1) {
                    final long w = 2 * (p * 1_000_000L + r);
                    for (final String tok : ("w" + r % 5 + " x" + r % 3 + (r % 4 == 0 ? " y" : "")).split(" ")) {
                        out.add(new Object[] {tok, r % 7, w});
                    }
                }
            }
        }
        return out;
    }

    /** A narrow chain of filter, withColumn and flatMap over the input. */
    private static Dataset chain(final Dataset in) {
        return in.filter(col("k").gt(lit(1L))).withColumn("w", col("v").times(lit(2L)))
            .flatMap(Expr.split(col("s"), " "), "tok", "k", "w");
    }

    private static List<String> rowStrings(final List<Object[]> rows) {
        final List<String> out = new ArrayList<>(rows.size());
        for (final Object[] r : rows) {
            out.add(Arrays.toString(r));
        }
        return out;
    }

    @Test
    void taskSplitWhileRunningGivesTheUnsplitRowsInOrder() {
        final long rows = 20_000;
        // minMorselRows = rows: the policy never halves the queued task, so only a split of the running task spreads it.
        final ExecutionContext ws = context(SchedulerConfig.builder().name("chunk-split").workers(2)
            .policy(SchedulingPolicy.WORK_STEALING).minMorselRows(rows).speculation(false));
        // The first chunk of partition 0 waits until some other range of partition 0 is generated: while it waits,
        // only a part that an idle worker split off can generate one (60 s safety net), so every run splits.
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicBoolean otherRange = new AtomicBoolean();
        final Dataset in = ws.generate(SCHEMA, 1, generator(rows, (p, from, to) -> {
            if (from > 0) {
                otherRange.set(true);
            } else if (armed.compareAndSet(true, false)) {
                parkUntil(otherRange::get);
            }
        }));
        final List<String> want = rowStrings(expectedChain(1, rows));

        armed.set(true);
        otherRange.set(false);
        assertEquals(want, rowStrings(chain(in).collect()), "collect after a split");
        assertTrue(stage(ws, "compute").metrics().parts(0) >= 2, "split: " + stage(ws, "compute"));

        armed.set(true);
        otherRange.set(false);
        assertEquals(want.size(), chain(in).count(), "count after a split");
        assertTrue(stage(ws, "count").metrics().parts(0) >= 2, "split: " + stage(ws, "count"));

        armed.set(true);
        otherRange.set(false);
        final List<Object[]> counts = chain(in).groupBy("tok").agg(Agg.count(), Agg.sum("w")).collect();
        final StageReport map = stage(ws, "exchange-map");
        assertTrue(map.metrics().parts(0) >= 2, "split: " + map);
        final Map<String, long[]> ref = new TreeMap<>();
        for (final Object[] r : expectedChain(1, rows)) {
            final long[] acc = ref.computeIfAbsent((String) r[0], t -> new long[2]);
            acc[0]++;
            acc[1] += (Long) r[2];
        }
        final List<Object[]> wantCounts = new ArrayList<>();
        ref.forEach((tok, acc) -> wantCounts.add(new Object[] {tok, acc[0], acc[1]}));
        assertEquals(canonical(wantCounts), canonical(counts));

        // The same job where no running task is ever split (static placement) gives the same rows in the same order.
        final ExecutionContext st = context(SchedulerConfig.builder().name("chunk-static").workers(2)
            .policy(SchedulingPolicy.STATIC).minMorselRows(rows).speculation(false));
        assertEquals(want, rowStrings(chain(st.generate(SCHEMA, 1, generator(rows, (p, from, to) -> { }))).collect()));
        assertEquals(1, stage(st, "compute").metrics().parts(0));
    }

    @Test
    void partitionsCountedInCoarseUnitsKeepEveryRowInOrder() {
        // 4 partitions of 5,003 rows with minMorselRows 100: each task's range is 199 units of ~25 rows, and work
        // stealing may split any of them while it runs; the rows come back complete and in order.
        final long rows = 5_003;
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            final ExecutionContext ctx = context(SchedulerConfig.builder().name("chunk-units").workers(2).policy(policy)
                .minMorselRows(100).speculation(false));
            final Dataset in = ctx.generate(SCHEMA, 4, generator(rows, (p, from, to) -> { }));
            assertEquals(rowStrings(expectedChain(4, rows)), rowStrings(chain(in).collect()), "policy=" + policy);
            final List<Object[]> source = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                for (long r = 0; r < rows; r++) {
                    source.add(new Object[] {r % 7, p * 1_000_000L + r, "w" + r % 5 + " x" + r % 3 + (r % 4 == 0 ? " y" : "")});
                }
            }
            try (SourceDataset fromRows = ctx.fromRows(SCHEMA, source, 4)) {
                assertEquals(rowStrings(expectedChain(4, rows)), rowStrings(chain(fromRows).collect()), "policy=" + policy);
            }
        }
    }

    @Test
    void chunkThatThrowsReleasesTheOutputsOfTheChunksBeforeIt() {
        final long rows = 16_000;
        final ExecutionContext ctx = context(SchedulerConfig.builder().name("chunk-throw").workers(2)
            .policy(SchedulingPolicy.WORK_STEALING).minMorselRows(rows).maxAttempts(2).speculation(false));
        // Every range holding a partition's last row throws, so every stage fails; an attempt that claimed chunks
        // before that range holds their outputs (off-heap batches) when it throws, and must release them. A first
        // attempt has no measured rate yet and claims a sixteenth of its range first, so such chunks always run.
        final AtomicInteger earlierChunks = new AtomicInteger();
        final Dataset in = ctx.generate(SCHEMA, 2, generator(rows, (p, from, to) -> {
            if (to == rows) {
                throw new IllegalStateException("injected failure in rows [" + from + ", " + to + ") of partition=" + p);
            }
            earlierChunks.incrementAndGet();
        }));
        final StageFailedException collect = assertThrows(StageFailedException.class, () -> chain(in).collect());
        assertTrue(String.valueOf(collect.getCause()).contains("injected failure"), collect.toString());
        final StageFailedException groupBy = assertThrows(StageFailedException.class,
            () -> chain(in).groupBy("tok").agg(Agg.count()).collect());
        assertTrue(String.valueOf(groupBy.getCause()).contains("injected failure"), groupBy.toString());
        assertTrue(earlierChunks.get() >= 2, "chunks ran before the failing ones: " + earlierChunks.get());
        // The failed stages left nothing behind: everything the allocator still holds belongs to nobody.
        assertEquals(0, allocator.bytesOutstanding(), "outputs of the chunks before the failing one were released");
    }

    @Test
    void losingSpeculativeCopyReleasesItsChunkOutputs() {
        final long rows = 4_000;
        // Static placement never splits, so the idle worker copies the straggling attempt instead.
        final ExecutionContext ctx = context(SchedulerConfig.builder().name("chunk-spec").workers(2)
            .policy(SchedulingPolicy.STATIC).minMorselRows(rows).speculation(true).speculationMinFinishedFraction(0)
            .speculationMinRunNanos(0).speculationMinGainNanos(0).speculationMultiplier(1.0)
            .speculationCheckIntervalNanos(0));
        // The first attempt at partition 0 waits in its first chunk until it is cancelled, which happens only when
        // its copy committed (60 s safety net); then it goes on and produces its chunks' outputs, which nobody uses.
        final AtomicBoolean armed = new AtomicBoolean(true);
        final Dataset in = ctx.generate(SCHEMA, 2, generator(rows, (p, from, to) -> {
            if (p == 0 && from == 0 && armed.compareAndSet(true, false)) {
                parkUntil(() -> Thread.currentThread().isInterrupted());
            }
        }));
        assertEquals(rowStrings(expectedChain(2, rows)), rowStrings(chain(in).collect()));
        final StageReport compute = stage(ctx, "compute");
        assertTrue(compute.summary().speculativeCopies() > 0, "partition 0 was copied: " + compute);
    }
}
