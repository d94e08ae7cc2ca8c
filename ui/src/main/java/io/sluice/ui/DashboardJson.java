package io.sluice.ui;

import java.util.List;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.StreamingContext;
import org.HdrHistogram.Histogram;

/** Renders the JSON endpoints from the collectors' published state. Times in milliseconds (doubles). */
final class DashboardJson {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    private final StreamCollector stream;
    private final TimelineCollector timeline;
    private final SchedulerConfig scheduler;

    DashboardJson(final StreamCollector stream, final TimelineCollector timeline, final SchedulerConfig scheduler) {
        this.stream = stream;
        this.timeline = timeline;
        this.scheduler = scheduler;
    }

    private static double ms(final long nanos) {
        return nanos / 1e6;
    }

    /** {@code /api/summary}: configuration, run-wide counters and percentiles, the latest backpressure figures. */
    String summary() {
        final Json json = new Json().beginObject();
        if (scheduler != null) {
            json.name("scheduler").beginObject().field("name", scheduler.name()).field("policy", scheduler.policy().name())
                .field("workers", scheduler.workers()).field("speculation", scheduler.speculation()).endObject();
        }
        if (stream != null) {
            final StreamingContext ctx = stream.context();
            json.name("stream").beginObject().field("batchIntervalMs", ctx.batchIntervalMillis())
                .field("batchesCompleted", stream.batchesCompleted()).field("batchesFailed", stream.batchesFailed())
                .field("recordsProcessed", stream.recordsProcessed()).field("keyedState", stream.hasKeyedState());
            json.name("inputs").beginArray();
            for (final String name : stream.inputNames()) {
                json.value(name);
            }
            json.endArray();
            final Histogram[] delays = stream.delays();
            final String[] names = {"schedulingDelay", "processingTime", "totalDelay"};
            json.name("percentilesMs").beginObject();
            for (int i = 0; i < 3; i++) {
                json.name(names[i]).beginObject();
                for (final double p : PERCENTILES) {
                    json.field("p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)),
                        delays[i].getTotalCount() == 0 ? 0 : ms(delays[i].getValueAtPercentile(p)));
                }
                json.endObject();
            }
            json.endObject();
            final StreamCollector.CheckpointStatus cp = stream.checkpoint();
            json.name("checkpoint").beginObject().field("writeAheadLog", cp.writeAheadLog()).field("snapshots", cp.snapshots())
                .field("lastSnapshotBatchTimeMs", cp.lastSnapshotBatchTime()).field("lastSnapshotMs", ms(cp.lastSnapshotNanos()))
                .endObject();
            final BatchPoint last = stream.latest();
            if (last != null) {
                json.name("latest");
                point(json, last, ctx.batchIntervalMillis());
            }
            json.endObject();
        }
        if (timeline != null) {
            json.name("tasks").beginObject().field("stagesStarted", timeline.stagesStarted())
                .field("stagesFailed", timeline.stagesFailed()).field("attempts", timeline.total(WorkerLane.ATTEMPTS))
                .field("stolen", timeline.total(WorkerLane.STOLEN)).field("speculative", timeline.total(WorkerLane.SPECULATIVE))
                .field("failed", timeline.total(WorkerLane.FAILED)).field("lost", timeline.total(WorkerLane.LOST))
                .field("workerReplacements", timeline.workerReplacements());
            json.name("busyMsPerWorker").beginArray();
            for (int w = 0; w < timeline.workers(); w++) {
                json.value(ms(timeline.lane(w).counter(WorkerLane.BUSY_NANOS)));
            }
            json.endArray().endObject();
        }
        return json.endObject().toString();
    }

    /** {@code /api/batches}: the kept batches after {@code since}, oldest first. */
    String batches(final long since, final int limit) {
        final Json json = new Json().beginObject();
        if (stream == null) {
            return json.field("error", "no streaming context attached").endObject().toString();
        }
        final long interval = stream.context().batchIntervalMillis();
        json.field("batchIntervalMs", interval).name("batches").beginArray();
        for (final BatchPoint p : stream.pointsSince(since, limit)) {
            point(json, p, interval);
        }
        return json.endArray().endObject().toString();
    }

    private static void point(final Json json, final BatchPoint p, final long intervalMillis) {
        json.beginObject().field("seq", p.seq()).field("batchTimeMs", p.batchTimeMillis()).field("records", p.records())
            .field("inputRate", p.records() * 1000.0 / intervalMillis).field("schedulingDelayMs", ms(p.schedulingNanos()))
            .field("processingTimeMs", ms(p.processingNanos())).field("totalDelayMs", ms(p.totalDelayNanos()))
            .field("failed", p.failed()).field("rateLimit", p.rateLimit()).field("lagRecords", p.lagRecords())
            .field("heldBytes", p.heldBytes()).field("queuedBatches", p.queuedBatches());
        if (p.stateKeys() >= 0) {
            json.field("stateKeys", p.stateKeys());
        }
        json.endObject();
    }

    /**
     * {@code /api/timeline}: the newest {@code stageCount} finished stages and every kept attempt of them, times in ms
     * from the first stage's start. Attempts are arrays {@code [worker, stage, task, attempt, startMs, endMs, flags]}.
     */
    String timeline(final int stageCount) {
        final Json json = new Json().beginObject();
        if (timeline == null) {
            return json.field("error", "no execution context attached").endObject().toString();
        }
        final List<StageRecord> stages = timeline.latestFinished(stageCount);
        json.field("workers", timeline.workers());
        if (scheduler != null && scheduler.callerRuns()) {
            // The last lane is the thread that ran the stages, helping its workers (caller-runs).
            json.field("callerLane", scheduler.callerWorker());
        }
        json.name("flags").beginObject().field("stolen", 1).field("speculative", 2).field("committed", 4).field("failed", 8)
            .field("splitPart", 16).endObject();
        if (stages.isEmpty()) {
            return json.name("stages").beginArray().endArray().name("attempts").beginArray().endArray().endObject().toString();
        }
        final long origin = stages.get(0).startNanos();
        final long minSeq = stages.get(0).seq();
        final long maxSeq = stages.get(stages.size() - 1).seq();
        json.name("stages").beginArray();
        for (final StageRecord s : stages) {
            json.beginObject().field("seq", s.seq()).field("name", s.name()).field("tasks", s.tasks())
                .field("startMs", ms(s.startNanos() - origin)).field("endMs", ms(s.endNanos() - origin)).field("failed", s.failed())
                .field("steals", s.steals()).field("speculativeCopies", s.speculativeCopies()).field("retries", s.retries())
                .field("workerReplacements", s.workerReplacements()).name("busyMs").beginArray();
            for (final long b : s.busyNanos()) {
                json.value(ms(b));
            }
            json.endArray().endObject();
        }
        json.endArray().name("attempts").beginArray();
        for (int w = 0; w < timeline.workers(); w++) {
            final int worker = w;
            timeline.lane(w).copyFrom(minSeq, (stage, task, attempt, start, end, flags) -> {
                if (stage <= maxSeq) {
                    json.beginArray().value(worker).value(stage).value(task).value(attempt).value(ms(start - origin))
                        .value(ms(end - origin)).value(flags).endArray();
                }
            });
        }
        json.endArray().name("replacements").beginArray();
        for (final TimelineCollector.Replacement r : timeline.replacements()) {
            if (r.stageSeq() >= minSeq && r.stageSeq() <= maxSeq) {
                json.beginObject().field("worker", r.worker()).field("stage", r.stageSeq()).field("atMs", ms(r.nanos() - origin))
                    .endObject();
            }
        }
        return json.endArray().endObject().toString();
    }
}
