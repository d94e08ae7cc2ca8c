package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.bench.Contender;
import io.sluice.bench.TaskCost;
import io.sluice.bench.cli.CompareSchedulingOptions;

@Timeout(120)
class PolicyDashboardTest {
    private static final Pattern ATTEMPTS = Pattern.compile("\"attempts\":(\\d+)");

    /** What the page at the port said while the watch was open: summary JSON per contender, in run order. */
    private final List<String> summaries = new ArrayList<>();

    @Test
    void eachSluicePolicyIsServedOnTheSamePortWithAllItsAttemptsAndForkJoinGetsNone() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final CompareSchedulingOptions options = CompareSchedulingOptions.parse("--workers", "3", "--tasks", "24",
            "--task-micros", "200", "--ui", Integer.toString(port), "--ui-hold", "0");
        assertEquals(List.of("--ui", Integer.toString(port), "--ui-hold", "0"), options.dashboard().toArgs());
        final MorselJob job = MorselJob.of(options.workload());
        final PolicyRunner runner = new PolicyRunner(job, TaskCost.sleep(), options.seed());
        final StringWriter log = new StringWriter();
        final PolicyDashboard dashboard = new PolicyDashboard(port, options.dashboard().hold(), new PrintWriter(log, true));
        final HttpClient client = HttpClient.newHttpClient();
        final PolicyRunner.PoolWatcher reading = pool -> {
            final PolicyRunner.PoolWatcher.Watch inner = dashboard.watch(pool);
            return () -> {
                // After the last run, before the dashboard closes: what a page open on the port reads now.
                try {
                    summaries.add(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/summary")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                } catch (final IOException ex) {
                    summaries.add("unreachable: " + ex);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } finally {
                    inner.close();
                }
            };
        };
        final int repetitions = 2;
        for (final Contender contender : List.of(Contender.STATIC, Contender.WORK_STEALING, Contender.FORK_JOIN)) {
            runner.run(contender, repetitions, record -> { }, reading);
        }
        assertEquals(3, summaries.size(), summaries.toString());
        assertTrue(summaries.get(0).contains("\"policy\":\"STATIC\""), summaries.get(0));
        assertTrue(summaries.get(1).contains("\"policy\":\"WORK_STEALING\""), summaries.get(1));
        for (int i = 0; i < 2; i++) {
            final Matcher attempts = ATTEMPTS.matcher(summaries.get(i));
            assertTrue(attempts.find(), summaries.get(i));
            // A warm-up and two recorded runs, each task at least once (no failures injected; copies only add).
            assertTrue(Long.parseLong(attempts.group(1)) >= (repetitions + 1L) * job.tasks(), summaries.get(i));
        }
        assertTrue(summaries.get(2).startsWith("unreachable"), "fork-join has no dashboard: " + summaries.get(2));
        assertTrue(log.toString().contains("no dashboard for fork-join"), log.toString());
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(n -> n.startsWith("sluice-ui")).toList());
    }

    @Test
    void badPortAndHoldAreOneLineErrors() {
        final String port = badOption("--ui", "70000");
        assertTrue(port.contains("--ui") && port.contains("0..65535"), port);
        final String hold = badOption("--ui-hold", "-1");
        assertTrue(hold.contains("--ui-hold") && hold.contains("0..3600"), hold);
        assertEquals(4040, CompareSchedulingOptions.parse("--ui").dashboard().port());
        assertEquals(-1, CompareSchedulingOptions.parse().dashboard().port());
    }

    /** Runs the command with one bad option; returns its one-line error after checking exit code 2. */
    private static String badOption(final String option, final String value) {
        final StringWriter err = new StringWriter();
        assertEquals(2, CompareScheduling.run(new String[] {option, value}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertEquals(1, err.toString().lines().count(), err.toString());
        return err.toString();
    }
}
