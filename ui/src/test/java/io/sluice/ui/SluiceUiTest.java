package io.sluice.ui;

import static io.sluice.ui.Http.list;
import static io.sluice.ui.Http.map;
import static io.sluice.ui.Http.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.sluice.engine.sched.SchedulerListener;
import io.sluice.engine.stream.BatchInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SluiceUiTest {
    private static final double NANOS_PER_MS = 1e6;

    static List<String> uiThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(n -> n.startsWith("sluice-ui-http") || n.startsWith("HTTP-Dispatcher")).toList();
    }

    @Test
    void batchesSummaryAndTimelineMatchTheJobAndTheServerStopsWithTheContext() throws Exception {
        final URI uri;
        try (UiTestJob job = new UiTestJob("ui-json", 4, 0, 4.0, 20, 20_000, 1_000_000, 16, 500)) {
            final SluiceUi ui = SluiceUi.start(job.graph, 0);
            uri = ui.uri();
            assertEquals("127.0.0.1", uri.getHost());
            job.streaming.start();
            job.awaitBatches(20, Duration.ofSeconds(60));

            // The job's listener hears a batch just before the dashboard's (registration order, on the thread that posts):
            // fetch until the dashboard has the 20th too (the deadline is only a safety net).
            final long pointsDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Map<String, Object>> points = list(Http.json(uri, "/api/batches"), "batches");
            while (points.size() < 20 && System.nanoTime() < pointsDeadline) {
                Thread.sleep(5);
                points = list(Http.json(uri, "/api/batches"), "batches");
            }
            final Map<Long, BatchInfo> byTime = job.batches().stream().collect(Collectors.toMap(BatchInfo::batchTimeMillis,
                Function.identity()));
            assertTrue(points.size() >= 20, "points=" + points.size());
            long seq = 0;
            for (final Map<String, Object> p : points) {
                assertEquals(++seq, (long) num(p.get("seq")));
                final BatchInfo info = byTime.get((long) num(p.get("batchTimeMs")));
                assertNotNull(info, "no BatchInfo for " + p);
                assertEquals(info.records(), (long) num(p.get("records")), p.toString());
                assertEquals(info.schedulingDelayNanos() / NANOS_PER_MS, num(p.get("schedulingDelayMs")), 1e-6, p.toString());
                assertEquals(info.processingNanos() / NANOS_PER_MS, num(p.get("processingTimeMs")), 1e-6, p.toString());
                assertEquals(info.totalDelayNanos() / NANOS_PER_MS, num(p.get("totalDelayMs")), 1e-6, p.toString());
                assertEquals(info.records() * 1000.0 / 20, num(p.get("inputRate")), 1e-9);
                assertTrue(num(p.get("stateKeys")) <= 50, p.toString());
            }
            assertTrue(points.stream().anyMatch(p -> num(p.get("records")) > 0), "no batch had records");
            assertTrue(points.get(points.size() - 1).get("stateKeys") != null);
            final List<Map<String, Object>> tail = list(Http.json(uri, "/api/batches?since=" + (seq - 3) + "&limit=2"), "batches");
            // The newest `limit` points after `since`, oldest first (the job runs on, so they may be newer than seq).
            assertEquals(2, tail.size());
            final long first = (long) num(tail.get(0).get("seq"));
            assertTrue(first >= seq - 1, tail.toString());
            assertEquals(first + 1, (long) num(tail.get(1).get("seq")));

            final Map<String, Object> summary = Http.json(uri, "/api/summary");
            final Map<String, Object> stream = map(summary, "stream");
            assertTrue(num(stream.get("batchesCompleted")) >= seq, summary.toString());
            assertEquals(List.of("words"), stream.get("inputs"));
            final Map<String, Object> total = map(map(stream, "percentilesMs"), "totalDelay");
            assertTrue(num(total.get("p50")) > 0 && num(total.get("p50")) <= num(total.get("p99"))
                && num(total.get("p99")) <= num(total.get("p99.9")), total.toString());
            assertEquals(4, (long) num(map(summary, "scheduler").get("workers")));

            // A 4x slower worker makes steals near certain, but a slow schedule may avoid them in a given window of
            // stages: fetch until the timeline shows one (the deadline is only a safety net).
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<String, Object> timeline = Http.json(uri, "/api/timeline?stages=64");
            while (list(timeline, "stages").stream().mapToDouble(s -> num(s.get("steals"))).sum() == 0) {
                assertTrue(System.nanoTime() < deadline, "no steals in 60 s with a 4x slower worker");
                Thread.sleep(20);
                timeline = Http.json(uri, "/api/timeline?stages=64");
            }
            final List<Map<String, Object>> stages = list(timeline, "stages");
            assertTrue(stages.size() >= 8, "stages=" + stages.size());
            @SuppressWarnings("unchecked")
            final List<List<Number>> attempts = (List<List<Number>>) timeline.get("attempts");
            final Map<Long, Set<Integer>> committed = new HashMap<>();
            final Map<Long, Long> stolen = new HashMap<>();
            for (final List<Number> a : attempts) {
                final long stage = a.get(1).longValue();
                final int flags = a.get(6).intValue();
                assertTrue(a.get(5).doubleValue() >= a.get(4).doubleValue(), a.toString());
                if ((flags & SchedulerListener.COMMITTED) != 0) {
                    committed.computeIfAbsent(stage, k -> new HashSet<>()).add(a.get(2).intValue());
                }
                stolen.merge(stage, (flags & SchedulerListener.STOLEN) != 0 ? 1L : 0L, Long::sum);
            }
            long steals = 0;
            for (final Map<String, Object> s : stages) {
                final long stageSeq = (long) num(s.get("seq"));
                // Every task commits (whole or in split parts); the steals the engine counted are the attempts marked stolen.
                assertEquals((int) num(s.get("tasks")), committed.getOrDefault(stageSeq, Set.of()).size(), s.toString());
                assertEquals((long) num(s.get("steals")), stolen.getOrDefault(stageSeq, 0L), s.toString());
                steals += (long) num(s.get("steals"));
                if ("work".equals(s.get("name"))) {
                    // A committed attempt parks 0.5 ms x its worker's slowdown at least (a load-independent lower bound,
                    // where comparing mean durations across workers raced with how promptly each thread was woken).
                    for (final List<Number> a : attempts) {
                        if (a.get(1).longValue() == stageSeq && (a.get(6).intValue() & SchedulerListener.COMMITTED) != 0) {
                            final double least = a.get(0).intValue() == 0 ? 2.0 : 0.5;
                            assertTrue(a.get(5).doubleValue() - a.get(4).doubleValue() >= least - 1e-6,
                                "an attempt on worker " + a.get(0) + " shorter than " + least + " ms: " + a);
                        }
                    }
                }
            }
            assertTrue(steals > 0, "no steals in " + stages.size() + " stages with a 4x slower worker");
        }
        // Closing the job stopped the streaming context, which closed the dashboard.
        assertEquals(List.of(), uiThreads());
        assertThrows(IOException.class, () -> Http.get(uri, "/api/summary"));
    }

    @Test
    void badRequestsGetA4xxWithTheReason() throws Exception {
        try (UiTestJob job = new UiTestJob("ui-bad", 2, -1, 1, 50, 1000, 1000, 0, 0);
             SluiceUi ui = SluiceUi.start(job.graph, 0)) {
            final URI uri = ui.uri();
            assertReason(Http.get(uri, "/nope"), 404, "no such path '/nope'");
            assertReason(Http.get(uri, "/static/../pom.xml"), 404, "no such path");
            assertReason(Http.request(uri, "POST", "/api/summary"), 405, "method POST not allowed");
            assertReason(Http.request(uri, "DELETE", "/metrics"), 405, "method DELETE not allowed");
            assertReason(Http.get(uri, "/api/timeline?stages=abc"), 400, "stages='abc' must be an integer in [1, 64]");
            assertReason(Http.get(uri, "/api/timeline?stages=0"), 400, "stages=0 out of range [1, 64]");
            assertReason(Http.get(uri, "/api/batches?limit=100000"), 400, "limit=100000 out of range [1, 600]");
            assertReason(Http.get(uri, "/api/batches?since=-1"), 400, "since=-1 out of range");
            assertReason(Http.get(uri, "/api/batches?foo=1"), 400, "unknown query parameter 'foo'");
            assertReason(Http.get(uri, "/api/batches?since=1&since=2"), 400, "query parameter 'since' given twice");
            assertReason(Http.get(uri, "/api/summary?x"), 400, "unknown query parameter 'x'");
            // Before any batch: empty but well-formed answers.
            assertEquals(List.of(), list(Http.json(uri, "/api/batches"), "batches"));
            assertEquals(List.of(), list(Http.json(uri, "/api/timeline"), "stages"));
            final Http.Response page = Http.get(uri, "/");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("/static/uPlot.iife.min.js"), page.body());
            final Http.Response uplot = Http.get(uri, "/static/uPlot.iife.min.js");
            assertEquals(200, uplot.status());
            assertTrue(uplot.body().contains("uPlot"), "not uPlot");
            assertEquals(200, Http.request(uri, "HEAD", "/api/summary").status());
        }
        assertEquals(List.of(), uiThreads());
    }

    private static void assertReason(final Http.Response r, final int status, final String reason) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.body().contains(reason), "'" + r.body() + "' lacks '" + reason + "'");
    }

    @Test
    void attachesToARunningContextAndCloseDetachesIt() throws Exception {
        try (UiTestJob job = new UiTestJob("ui-late", 2, -1, 1, 10, 5_000, 1_000_000, 4, 100)) {
            job.streaming.start();
            job.awaitBatches(3, Duration.ofSeconds(30));
            // Counted before it attaches: the job's listener hears every batch the dashboard's hears (it was added
            // first), so the dashboard can never show more than the batches completed since this count.
            final int beforeAttach = job.batches().size();
            final SluiceUi ui = SluiceUi.start(job.graph, 0);
            final int attached = job.batches().size();
            job.awaitBatches(attached + 5, Duration.ofSeconds(30));
            final List<Map<String, Object>> points = list(Http.json(ui.uri(), "/api/batches"), "batches");
            final int after = job.batches().size();
            // Only batches that completed after it attached, numbered from 1.
            assertTrue(points.size() >= 3 && points.size() <= after - beforeAttach,
                points.size() + " points; batches before attaching " + beforeAttach + ", after the request " + after);
            assertEquals(1L, (long) num(points.get(0).get("seq")));
            assertEquals(false, map(map(Http.json(ui.uri(), "/api/summary"), "stream"), "checkpoint").get("writeAheadLog"));
            ui.close();
            assertEquals(List.of(), uiThreads());
            assertThrows(IOException.class, () -> Http.get(ui.uri(), "/api/summary"));
            ui.close();     // idempotent, and the context's stop hook finds it closed
            job.graph.stop(true);
            // A stopped context cannot stop a dashboard: starting one on it fails and leaves no server behind.
            assertThrows(IllegalStateException.class, () -> SluiceUi.start(job.graph, 0));
            assertEquals(List.of(), uiThreads());
        }
    }

    @Test
    void bindsToLoopbackByDefaultAndRefusesABadPortOrNothingToShow() {
        assertThrows(IllegalArgumentException.class, () -> SluiceUi.builder().port(70_000));
        assertThrows(IllegalStateException.class, () -> SluiceUi.builder().port(0).start());
    }
}
