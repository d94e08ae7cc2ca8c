package io.sluice.nexmark.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.sluice.bench.report.RunLoad;
import io.sluice.nexmark.NexmarkConfig;
import io.sluice.nexmark.NexmarkQuery;
import io.sluice.nexmark.RunResult;

/**
 * Runs a Nexmark query on Apache Flink's local in-JVM environment (a MiniCluster) at the given parallelism: the
 * same events from the same generator as a bounded {@code DataGeneratorSource}, the query on the DataStream API,
 * and a digesting sink. Object reuse is on (Flink's fast path). Temporary files go under {@code tmpDir}; every
 * address is the loopback one; no web UI.
 */
public final class FlinkRunner {
    private static final AtomicLong RUNS = new AtomicLong();

    private final int parallelism;
    private final Path tmpDir;

    public FlinkRunner(final int parallelism, final Path tmpDir) {
        this.parallelism = parallelism;
        this.tmpDir = tmpDir;
    }

    public RunResult run(final NexmarkQuery query, final NexmarkConfig config, final boolean keepRows) throws Exception {
        Files.createDirectories(tmpDir);
        final Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, tmpDir.toAbsolutePath().toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.getConfig().enableObjectReuse();
        final String run = "nexmark-" + query.label() + "-" + RUNS.incrementAndGet();
        FlinkQueries.build(query, env, config).sinkTo(DigestSink.forRun(run, keepRows, query.processingTime())).name("digest");
        final long cpuBefore = RunLoad.processCpuNanos();
        final long start = System.nanoTime();
        env.execute(run);
        final long wall = System.nanoTime() - start;
        final long cpu = RunLoad.processCpuNanos() - cpuBefore;
        final DigestSink.Result result = DigestSink.take(run);
        return new RunResult("flink", query, config.maxEvents(), wall, cpu, result.digest(), result.rows(), -1);
    }
}
