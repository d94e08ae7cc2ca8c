package io.sluice.engine.sched;

import java.util.List;

/**
 * The outcome of a stage that finished: one committed result per task, by task index, plus metrics.
 *
 * @param <R> result type
 */
public final class StageResult<R> {
    private final List<R> results;
    private final StageMetrics metrics;
    private final StageSummary summary;

    StageResult(final List<R> results, final StageMetrics metrics, final StageSummary summary) {
        this.results = results;
        this.metrics = metrics;
        this.summary = summary;
    }

    /** Results by task index (unmodifiable; elements may be null if a task returned null). */
    public List<R> results() {
        return results;
    }

    public R result(final int task) {
        return results.get(task);
    }

    public StageMetrics metrics() {
        return metrics;
    }

    public StageSummary summary() {
        return summary;
    }
}
