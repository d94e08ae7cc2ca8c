package io.sluice.bench.stream;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything one {@code scripts/stream-bench} run measured, in run order; filled by {@link StreamBench}. */
public final class StreamResults {
    final List<LatencyPoint> latency = new ArrayList<>();
    final List<RatePoint> throughput = new ArrayList<>();
    final Map<TextJob, Double> maxSustainable = new EnumMap<>(TextJob.class);
    final List<JavaBaselineRow> baselines = new ArrayList<>();
    final List<StragglerRow> straggler = new ArrayList<>();

    /** A plain-Java baseline figure of a job. */
    record JavaBaselineRow(TextJob job, JavaBaseline.Result result) {
    }

    public List<LatencyPoint> latency() {
        return List.copyOf(latency);
    }

    public List<StragglerRow> straggler() {
        return List.copyOf(straggler);
    }

    /** The straggler row of {@code job} under {@code config}, or null if that run was not made. */
    StragglerRow straggler(final TextJob job, final StragglerConfig config) {
        for (final StragglerRow row : straggler) {
            if (row.job() == job && row.config() == config) {
                return row;
            }
        }
        return null;
    }

    /** The baseline of {@code job} in {@code mode}, or null. */
    JavaBaseline.Result baseline(final TextJob job, final JavaBaseline.Mode mode) {
        for (final JavaBaselineRow row : baselines) {
            if (row.job() == job && row.result().mode() == mode) {
                return row.result();
            }
        }
        return null;
    }
}
