package io.sluice.bench.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Folders;
import io.sluice.memory.Schema;

/**
 * The cost of making the write-ahead log's renames durable against power loss: a checkpointed stream (a generator
 * source at a fixed rate, a job counting rows) at 1 ms and 100 ms batches, run with the folder fsync after each
 * rename on the commit path and without it ({@code sluice.checkpoint.unsafeNoFolderSync}), alternating in the same
 * JVM (ABBA per round), plus the time of one folder fsync on the checkpoint's disk. Writes a markdown report.
 *
 * <p>{@code scripts/wal-sync-bench [--seconds 8] [--rounds 2] [--out perf-reports/2026-11-30-reliability]}
 */
public final class WalSyncBench {
    private static final Schema ROWS = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64));
    private static final double RATE = 20_000;
    private static final String NO_SYNC = "sluice.checkpoint.unsafeNoFolderSync";

    private WalSyncBench() {
    }

    /** One run's figures. */
    private record Result(long intervalMillis, boolean sync, int batches, long expected, double meanProcessingMicros,
                          double p50DelayMillis, double p50LagMillis, double p99LagMillis, double cpuSeconds, double wallSeconds) {
    }

    public static void main(final String[] args) throws Exception {
        int seconds = 8;
        int rounds = 2;
        Path out = Path.of("perf-reports/2026-11-30-reliability");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        final Path work = Files.createDirectories(Path.of("bench/target/wal-sync-bench"));
        final RunLoad load = RunLoad.start();
        final double syncMicros = folderSyncMicros(work);
        final List<Result> results = new ArrayList<>();
        for (final long interval : new long[] {1, 100}) {
            for (int round = 0; round < rounds; round++) {
                for (final boolean sync : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    final Result result = run(work, interval, sync, Duration.ofSeconds(seconds));
                    System.err.printf(Locale.ROOT, "interval=%d ms sync=%s batches=%d/%d p50 delay=%.2f ms p50 lag=%.2f ms cpu=%.2f s%n",
                        interval, sync, result.batches(), result.expected(), result.p50DelayMillis(), result.p50LagMillis(),
                        result.cpuSeconds());
                    results.add(result);
                }
            }
        }
        final RunLoad.Measured measured = load.stop();
        Files.createDirectories(out);
        Files.writeString(out.resolve("wal-sync.md"), report(results, syncMicros, measured, seconds, rounds), StandardCharsets.UTF_8);
        Folders.deleteTree(work);
    }

    /** The mean time of one folder fsync after a rename in {@code dir}, in microseconds. */
    private static double folderSyncMicros(final Path dir) throws IOException {
        final int n = 200;
        long total = 0;
        for (int i = 0; i < n; i++) {
            final Path a = dir.resolve("probe.tmp");
            Files.writeString(a, "x");
            Files.move(a, dir.resolve("probe"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            final long start = System.nanoTime();
            Folders.sync(dir);
            total += System.nanoTime() - start;
        }
        Files.deleteIfExists(dir.resolve("probe"));
        return total / 1e3 / n;
    }

    private static Result run(final Path work, final long interval, final boolean sync, final Duration length) throws Exception {
        final Path folder = work.resolve("checkpoint-" + interval + "-" + sync);
        Folders.deleteTree(folder);
        System.setProperty(NO_SYNC, Boolean.toString(!sync));
        final List<BatchInfo> completed = new ArrayList<>();
        final AtomicLong rows = new AtomicLong();
        try (BufferAllocator allocator = new BufferAllocator()) {
            final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(interval)).allocator(allocator)
                .checkpointFolder(folder).progressLogInterval(Duration.ofHours(1)).build();
            final GeneratorSource source = GeneratorSource.builder("rows", ROWS).ratePerSecond(RATE).seed(1).vocabulary(64).build();
            context.foreachBatch(context.input(source), (time, batch) -> rows.addAndGet(batch.rowCount()));
            context.addListener(new StreamingListener() {
                @Override
                public void onBatchCompleted(final BatchInfo info) {
                    synchronized (completed) {
                        completed.add(info);
                    }
                }
            });
            final long cpu = RunLoad.processCpuNanos();
            final long start = System.nanoTime();
            context.start();
            StreamRun.sleep(length);
            final List<BatchInfo> seen;
            synchronized (completed) {
                seen = new ArrayList<>(completed);
            }
            final double wall = (System.nanoTime() - start) / 1e9;
            context.stop(false);
            context.close();
            final double cpuSeconds = (RunLoad.processCpuNanos() - cpu) / 1e9;
            final long[] delays = seen.stream().mapToLong(BatchInfo::totalDelayNanos).sorted().toArray();
            // From the batch boundary to the end of its jobs: includes the cut and the log write, and a backlog.
            final long[] lags = seen.stream().mapToLong(info -> info.processingEndNanos() - info.batchTimeMillis() * 1_000_000L).sorted()
                .toArray();
            final double meanProcessing = seen.stream().mapToLong(BatchInfo::processingNanos).average().orElse(0) / 1e3;
            return new Result(interval, sync, seen.size(), Math.round(wall * 1000 / interval), meanProcessing,
                percentile(delays, 0.5) / 1e6, percentile(lags, 0.5) / 1e6, percentile(lags, 0.99) / 1e6, cpuSeconds, wall);
        } finally {
            System.clearProperty(NO_SYNC);
            Folders.deleteTree(folder);
        }
    }

    private static double percentile(final long[] sorted, final double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private static String report(final List<Result> results, final double syncMicros, final RunLoad.Measured load, final int seconds,
                                 final int rounds) {
        final StringBuilder md = new StringBuilder("# Write-ahead log: folder fsync after each rename, on and off\n\n");
        md.append(String.format(Locale.ROOT, "Command: `scripts/wal-sync-bench --seconds %d --rounds %d`. A checkpointed stream (generator"
            + " source at %.0f records/s, a row-counting job) runs %d s per run, folder fsync on and off alternating (ABBA) in one JVM;"
            + " every batch is logged (3 folder fsyncs: data files, manifest, completed marker; the files themselves are fsynced in"
            + " both settings).%n%n", seconds, rounds, RATE, seconds));
        md.append(String.format(Locale.ROOT, "One folder fsync after a rename on this disk: **%.0f us** (mean of 200).%n%n", syncMicros));
        md.append("Total delay runs from the start of the cut (log write included) to the end of the jobs; lag from the batch"
            + " boundary to the end of the jobs (it grows when the stream falls behind: a batch is cut for every boundary).\n\n");
        md.append("| interval | folder fsync | batches done / due | p50 total delay | p50 lag | p99 lag | mean processing"
            + " | process CPU |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (final Result r : results) {
            md.append(String.format(Locale.ROOT,
                "| %d ms | %s | %d / %d | %.2f ms | %.1f ms | %.1f ms | %.0f us | %.2f s / %.1f s wall |%n",
                r.intervalMillis(), r.sync() ? "on" : "off", r.batches(), r.expected(), r.p50DelayMillis(), r.p50LagMillis(),
                r.p99LagMillis(), r.meanProcessingMicros(), r.cpuSeconds(), r.wallSeconds()));
        }
        md.append('\n');
        for (final long interval : new long[] {1, 100}) {
            final double on = median(results, interval, true);
            final double off = median(results, interval, false);
            md.append(String.format(Locale.ROOT, "- %d ms batches: median p50 total delay %.2f ms with fsync, %.2f ms without (ratio %.2f);"
                + " batches done with/without %s%n", interval, on, off, on / off, batchesRatio(results, interval)));
        }
        md.append("\n## Machine\n\n").append(MachineInfo.detect(Path.of(".")).toMarkdown()).append(load.toMarkdown());
        return md.toString();
    }

    private static double median(final List<Result> results, final long interval, final boolean sync) {
        final double[] values = results.stream().filter(r -> r.intervalMillis() == interval && r.sync() == sync)
            .mapToDouble(Result::p50DelayMillis).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private static String batchesRatio(final List<Result> results, final long interval) {
        final long on = results.stream().filter(r -> r.intervalMillis() == interval && r.sync()).mapToLong(Result::batches).sum();
        final long off = results.stream().filter(r -> r.intervalMillis() == interval && !r.sync()).mapToLong(Result::batches).sum();
        return String.format(Locale.ROOT, "%d / %d (%.2f)", on, off, off == 0 ? Double.NaN : (double) on / off);
    }
}
