package io.sluice.engine.dataset;

import io.sluice.engine.sched.StageMetrics;
import io.sluice.engine.sched.StageSummary;

/** What one finished stage of an {@link ExecutionContext} did: its name, per-task metrics and summary. Immutable. */
public final class StageReport {
    private final String name;
    private final StageMetrics metrics;
    private final StageSummary summary;

    StageReport(final String name, final StageMetrics metrics, final StageSummary summary) {
        this.name = name;
        this.metrics = metrics;
        this.summary = summary;
    }

    /** The stage's name: {@code compute}, {@code count}, {@code cache-fill}, {@code exchange-map}, ... */
    public String name() {
        return name;
    }

    /** Per-task figures, e.g. {@link StageMetrics#parts(int)}: how many morsels a split task ran as. */
    public StageMetrics metrics() {
        return metrics;
    }

    public StageSummary summary() {
        return summary;
    }

    /** Workers that spent any time running this stage's attempts. */
    public int busyWorkers() {
        int busy = 0;
        for (int w = 0; w < summary.workers(); w++) {
            if (summary.busyNanos(w) > 0) {
                busy++;
            }
        }
        return busy;
    }

    @Override
    public String toString() {
        return "StageReport{name=" + name + ", tasks=" + metrics.tasks() + ", " + summary + '}';
    }
}
