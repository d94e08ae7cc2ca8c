package io.sluice.nexmark;

import java.util.List;

/**
 * One query run on one engine: how many events went in, the wall and process CPU time it took, the output's digest
 * and (when kept) its rows, and the p99 micro-batch processing time (Sluice; -1 where it does not apply).
 */
public record RunResult(String engine, NexmarkQuery query, long events, long wallNanos, long cpuNanos, RowDigest digest,
                        List<Object[]> rows, long p99BatchNanos) {
    /** Input events per second of wall time. */
    public double eventsPerSecond() {
        return events * 1e9 / wallNanos;
    }

    /** Input events per CPU-second of the whole process (nexmark-flink's "per core" figure). */
    public double eventsPerCpuSecond() {
        return events * 1e9 / Math.max(1, cpuNanos);
    }
}
