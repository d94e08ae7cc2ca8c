package io.sluice.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.engine.sched.SchedulerListener;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageSummary;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.StreamingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class MetricsEndpointTest {
    /**
     * The engine's own figures, counted as the dashboard counts them (attempts as they end, stages as they finish,
     * batches as they complete). Registered before the dashboard, a listener hears every event first (an upper
     * bound for a scrape); registered after it, last (a lower bound): listeners run in registration order on the
     * thread that posts the event.
     */
    private static final class StageTotals implements SchedulerListener, StreamingListener {
        final AtomicLong stages = new AtomicLong();
        final AtomicLong tasks = new AtomicLong();
        final AtomicLong steals = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong records = new AtomicLong();
        /** Workers that ended an attempt of positive length (busy time, as the dashboard sums it), one bit each. */
        final AtomicLong busyWorkers = new AtomicLong();

        @Override
        public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                                  final long endNanos, final int flags) {
            if ((flags & STOLEN) != 0) {
                steals.incrementAndGet();
            }
            if (endNanos > startNanos) {
                final long bit = 1L << worker;
                busyWorkers.getAndUpdate(b -> b | bit);
            }
        }

        @Override
        public void onStageFinished(final Stage<?> stage, final StageSummary summary, final long endNanos) {
            if (summary == null) {
                return;
            }
            tasks.addAndGet(stage.size());
            stages.incrementAndGet();
        }

        @Override
        public void onBatchCompleted(final BatchInfo info) {
            if (info.succeeded()) {
                records.addAndGet(info.records());
                batches.incrementAndGet();
            }
        }
    }

    private record Figures(long batches, long stages, long tasks, long steals) {
    }

    private static Figures figures(final StageTotals totals) {
        // Each figure only grows: read before the scrape from the last listener, each is a lower bound; after it from
        // the first listener, an upper bound.
        final long batches = totals.batches.get();
        final long stages = totals.stages.get();
        final long tasks = totals.tasks.get();
        final long steals = totals.steals.get();
        return new Figures(batches, stages, tasks, steals);
    }

    @Test
    void scrapeParsesAsPrometheusTextAndItsCountersMatchTheJob() throws Exception {
        final long records = 3_000;
        try (UiTestJob job = new UiTestJob("ui-metrics", 3, 0, 4.0, 10, 30_000, records, 12, 300)) {
            final StageTotals first = new StageTotals();
            job.exec.scheduler().addListener(first);
            job.streaming.addListener(first);
            final SluiceUi ui = SluiceUi.start(job.graph, 0);
            final StageTotals last = new StageTotals();
            job.exec.scheduler().addListener(last);
            job.streaming.addListener(last);
            job.streaming.start();
            // Until the dashboard has seen (the last listener hears after it) every record, 20 batches, a steal and
            // busy time on every worker (bit 3, the caller's lane with caller-runs, may be set too): the 60 s are only a
            // safety net, whatever the schedule these all happen.
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (last.records.get() < records || last.batches.get() < 20 || last.steals.get() == 0
                || (last.busyWorkers.get() & 0b111) != 0b111) {
                assertTrue(System.nanoTime() < deadline, "in 60 s: records=" + last.records + " batches=" + last.batches
                    + " steals=" + last.steals + " workers with busy time=" + Long.toBinaryString(last.busyWorkers.get()));
                Thread.sleep(5);
            }
            final Figures before = figures(last);
            final Http.Response response = Http.get(ui.uri(), "/metrics");
            final Figures after = figures(first);
            assertEquals(200, response.status());
            assertTrue(response.contentType().startsWith("text/plain; version=0.0.4"), response.contentType());
            final PrometheusText text = PrometheusText.parse(response.body());

            assertEquals("counter", text.types.get("sluice_stream_batches_total"));
            assertEquals("histogram", text.types.get("sluice_stream_total_delay_seconds"));
            assertEquals(records, text.value("sluice_stream_records_total", Map.of()));
            final double batches = text.value("sluice_stream_batches_total", Map.of("outcome", "completed"));
            assertBetween(before.batches(), batches, after.batches(), "batches completed");
            assertEquals(0, text.value("sluice_stream_batches_total", Map.of("outcome", "failed")));
            for (final String h : List.of("scheduling_delay", "processing_time", "total_delay")) {
                assertBetween(before.batches(), text.value("sluice_stream_" + h + "_seconds_count", Map.of()), after.batches(), h);
                assertTrue(text.value("sluice_stream_" + h + "_seconds_sum", Map.of()) > 0, h);
            }
            // Every batch's delay is at least 0.3 ms of sleeping tasks: nothing in the 0.0005 s bucket is impossible,
            // but the +Inf bucket holds them all (checked by the parser) and the 30 s bucket too.
            assertEquals(text.value("sluice_stream_total_delay_seconds_count", Map.of()),
                text.value("sluice_stream_total_delay_seconds_bucket", Map.of("le", "30.0")));
            assertTrue(text.value("sluice_stream_state_keys", Map.of()) > 0);

            assertBetween(before.stages(), text.value("sluice_scheduler_stages_total", Map.of("outcome", "succeeded")), after.stages(),
                "stages");
            assertBetween(before.tasks(), text.value("sluice_scheduler_tasks_total", Map.of()), after.tasks(), "tasks");
            // One committed attempt per task, or one per part of a split task: never fewer than the tasks.
            assertTrue(text.value("sluice_scheduler_task_attempts_total", Map.of("outcome", "committed")) >= before.tasks());
            assertBetween(before.steals(), text.value("sluice_scheduler_tasks_stolen_total", Map.of()), after.steals(), "steals");
            assertTrue(text.value("sluice_scheduler_tasks_stolen_total", Map.of()) > 0, "a 4x slower worker caused no steal");
            assertEquals(0, text.value("sluice_scheduler_worker_replacements_total", Map.of()));
            double slowBusy = 0;
            for (int w = 0; w < 3; w++) {
                final double busy = text.value("sluice_scheduler_worker_busy_seconds_total", Map.of("worker", Integer.toString(w)));
                assertTrue(busy > 0, "worker " + w + " busy=" + busy);
                slowBusy = w == 0 ? busy : slowBusy;
            }
            assertTrue(slowBusy > 0);
        }
        assertEquals(List.of(), SluiceUiTest.uiThreads());
    }

    @Test
    void checkpointStatusFollowsTheContextsSnapshots(@TempDir final Path checkpoint) throws Exception {
        try (UiTestJob job = new UiTestJob("ui-wal", 2, -1, 1, 10, 5_000, 1_000_000, 0, 0, checkpoint)) {
            final SluiceUi ui = SluiceUi.start(job.graph, 0);
            job.streaming.start();
            job.awaitBatches(10, Duration.ofSeconds(60));
            final long before = job.streaming.metrics().snapshots();
            final PrometheusText text = PrometheusText.parse(Http.get(ui.uri(), "/metrics").body());
            final Map<String, Object> cp = Http.map(Http.map(Http.json(ui.uri(), "/api/summary"), "stream"), "checkpoint");
            final long after = job.streaming.metrics().snapshots();
            assertTrue(before >= 4, "snapshots=" + before + " after 10 batches at checkpointEvery(2)");
            assertBetween(before - 1, text.value("sluice_stream_snapshots_total", Map.of()), after, "snapshots");
            assertEquals(true, cp.get("writeAheadLog"));
            assertBetween(before - 1, Http.num(cp.get("snapshots")), after, "summary snapshots");
            assertTrue(Http.num(cp.get("lastSnapshotBatchTimeMs")) > 0, cp.toString());
            assertTrue(text.value("sluice_stream_last_snapshot_duration_seconds", Map.of()) > 0);
        }
        assertEquals(List.of(), SluiceUiTest.uiThreads());
    }

    private static void assertBetween(final long low, final double value, final long high, final String what) {
        assertTrue(value >= low && value <= high, what + "=" + value + " not in [" + low + ", " + high + "]");
    }
}
