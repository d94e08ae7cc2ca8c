package io.sluice.bench.memory;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ColumnScanBenchmark} with Sluice bounds checks off ({@code -Dsluice.memory.boundsChecks=false}) and Agrona's
 * UnsafeBuffer checks off ({@code -Dagrona.disable.bounds.checks=true}), the tuned hot-loop setting, beside the
 * default-safety figures of the parent class. {@link #sumOffHeapGetAgronaChecked} keeps Agrona's checks on alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dsluice.memory.boundsChecks=false", "-Dagrona.disable.bounds.checks=true", "-Xmx3g",
    "-XX:MaxDirectMemorySize=1g"})
public class ColumnScanChecksOffBenchmark extends ColumnScanBenchmark {
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dsluice.memory.boundsChecks=false", "-Xmx3g", "-XX:MaxDirectMemorySize=1g"})
    public long sumOffHeapGetAgronaChecked() {
        return sumOffHeapGet();
    }
}
