package io.sluice.bench.stream;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import io.sluice.bench.dataset.TextRecords;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.StageReport;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;

/**
 * What running dataset tasks in chunks costs on CPU-bound work: the throughput section's word count and grep over
 * the same lines on 2 work-stealing workers, each task once over a partition of known size (so it runs in ~1 ms
 * chunks and may split while it runs: {@link MicroBatchDataset}) and once over the same partition from a generator
 * that does not say its size (so it runs whole, as before chunks existed), alternating, in one JVM. Prints the median
 * time per job and mode and their ratio, with the machine and its measured load.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar io.sluice.bench.stream.ChunkOverheadBench [rounds] [copies]}</pre>
 */
public final class ChunkOverheadBench {
    private static final int WORKERS = 2;
    private static final int PARTITIONS = 2 * WORKERS;

    private ChunkOverheadBench() {
    }

    public static void main(final String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        final int copies = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final RunLoad load = RunLoad.start();
        final TextRecords text = new TextRecords(StreamBenchPlan.TEXT_SEED);
        final String[] pool = text.records(0, StreamBenchPlan.TEXT_LINES);
        final String[] lines = new String[pool.length * copies];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = pool[i % pool.length];
        }
        final String needle = " " + text.word(StreamBenchPlan.GREP_RANK) + " ";
        try (BufferAllocator allocator = new BufferAllocator();
             // The sized partitions run in chunks, the unsized ones whole.
             ExecutionContext exec = Pools.create("chunk-overhead", WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator).chunkedTasks(true);
             Batch batch = linesBatch(allocator, lines)) {
            System.out.printf(Locale.ROOT, "%d lines in %d partitions, %d rounds; %s, %d cores%n", lines.length, PARTITIONS,
                rounds, machine.cpuModel(), machine.cores());
            for (final TextJob job : TextJob.values()) {
                final long[] chunked = new long[rounds];
                final long[] whole = new long[rounds];
                long check = 0;
                for (int r = -rounds / 3; r < rounds; r++) {
                    // Alternate which mode runs first, so neither always follows the other's garbage.
                    final boolean chunkedFirst = (r & 1) == 0;
                    final long t0 = System.nanoTime();
                    final long a = job.run(chunkedFirst ? MicroBatchDataset.of(exec, batch, PARTITIONS, PartitionCost.NONE)
                        : unsized(exec, batch), needle);
                    final long t1 = System.nanoTime();
                    final long b = job.run(chunkedFirst ? unsized(exec, batch)
                        : MicroBatchDataset.of(exec, batch, PARTITIONS, PartitionCost.NONE), needle);
                    final long t2 = System.nanoTime();
                    if (a != b) {
                        throw new IllegalStateException("job=" + job.label() + " chunked and whole answers differ: " + a + " " + b);
                    }
                    check += a;
                    if (r >= 0) {
                        chunked[r] = chunkedFirst ? t1 - t0 : t2 - t1;
                        whole[r] = chunkedFirst ? t2 - t1 : t1 - t0;
                    }
                }
                // Parts per stage of the last chunked run (a split running task adds parts, each its own output).
                final StringBuilder parts = new StringBuilder();
                job.run(MicroBatchDataset.of(exec, batch, PARTITIONS, PartitionCost.NONE), needle);
                for (final StageReport stage : exec.recentStages().subList(Math.max(0, exec.recentStages().size() - 3),
                    exec.recentStages().size())) {
                    int sum = 0;
                    for (int t = 0; t < stage.metrics().tasks(); t++) {
                        sum += stage.metrics().parts(t);
                    }
                    parts.append(' ').append(stage.name()).append(": tasks=").append(stage.metrics().tasks()).append(" parts=")
                        .append(sum);
                }
                System.out.println("job=" + job.label() + parts);
                final double c = median(chunked) / 1e6;
                final double w = median(whole) / 1e6;
                System.out.printf(Locale.ROOT, "job=%s chunked median=%.2f ms whole median=%.2f ms chunked/whole=%.3f"
                    + " (checksum %d)%n", job.label(), c, w, c / w, check);
            }
        }
        System.out.println(load.stop().toMarkdown());
    }

    private static Batch linesBatch(final BufferAllocator allocator, final String[] lines) {
        try (BatchBuilder builder = new BatchBuilder(allocator, TextEmitter.SCHEMA, lines.length)) {
            for (final String line : lines) {
                builder.setUtf8(0, line).endRow();
            }
            return builder.build();
        }
    }

    /** The partitions of {@link MicroBatchDataset}, from a generator that does not say their sizes: tasks run whole. */
    private static Dataset unsized(final ExecutionContext exec, final Batch batch) {
        final int rows = batch.rowCount();
        return exec.generate(batch.schema(), PARTITIONS, (p, builder) -> {
            final int from = MicroBatchDataset.from(rows, PARTITIONS, p);
            try (Batch slice = batch.slice(from, MicroBatchDataset.from(rows, PARTITIONS, p + 1))) {
                for (int c = 0; c < slice.columnCount(); c++) {
                    builder.appendColumn(c, slice.vector(c));
                }
            }
        });
    }

    private static double median(final long[] values) {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
