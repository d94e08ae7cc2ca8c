package io.sluice.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sluice.engine.stream.BatchInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium: a streaming job with one slow worker runs, the page updates live, its charts hold the job's batches and
 * its timeline shows the steals and the slow worker. Skipped only when Chromium is not installed.
 */
@Timeout(180)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver"));
    private static final int WORKERS = 4;
    private static final long INTERVAL_MS = 50;

    @Test
    void liveChartsMatchTheJobAndTheTimelineShowsStealsAndTheSlowWorker() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM
            + " (apt-get install chromium chromium-driver); browser test skipped");
        assertTrue(Files.isExecutable(CHROMEDRIVER), "Chromium is installed but chromedriver is not at " + CHROMEDRIVER
            + " (apt-get install chromium-driver)");
        final Path profile = Files.createTempDirectory("sluice-chromium-");
        ChromeDriver driver = null;
        try (UiTestJob job = new UiTestJob("ui-browser", WORKERS, 0, 4.0, INTERVAL_MS, 5_000, Long.MAX_VALUE, 16, 1000)) {
            final SluiceUi ui = SluiceUi.start(job.graph, 0);
            job.streaming.start();
            driver = chromium(profile);
            driver.manage().window().setSize(new Dimension(1400, 1250));
            driver.get(ui.uri().toString());
            final JavascriptExecutor js = driver;
            final WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100));
            // Live: several polls, each bringing new batches, and a timeline drawn.
            final long firstPollBatches = waitFor(wait, js,
                "return window.sluice && window.sluice.polls >= 1 ? window.sluice.batches.length : null");
            wait.until(d -> num(js.executeScript("return window.sluice.polls")) >= 6
                && num(js.executeScript("return window.sluice.batches.length")) >= firstPollBatches + 10
                && js.executeScript("return window.sluice.timeline && window.sluice.timeline.stages.length >= 4") == Boolean.TRUE);
            assertEquals(0L, num(js.executeScript("return window.sluice.errors")));

            // Charts: every point of the input and delay charts is the job's BatchInfo of that batch time.
            // One script: the page redraws every poll, so read both charts at the same moment.
            final List<?> charts = (List<?>) js.executeScript("return [window.sluice.charts.input.data, window.sluice.charts.delays.data]");
            final List<?> input = (List<?>) charts.get(0);
            final List<?> delays = (List<?>) charts.get(1);
            final Map<Long, BatchInfo> byTime = job.batches().stream().collect(Collectors.toMap(BatchInfo::batchTimeMillis,
                Function.identity()));
            final List<?> x = (List<?>) delays.get(0);
            assertTrue(x.size() >= 10, "points=" + x.size());
            assertEquals(x, input.get(0));
            for (int i = 0; i < x.size(); i++) {
                final long batchTime = Math.round(num(x.get(i)) * 1000);
                final BatchInfo info = byTime.get(batchTime);
                assertNotNull(info, "chart point at batch time " + batchTime + " ms has no BatchInfo");
                assertEquals(info.records() * 1000.0 / INTERVAL_MS, num(((List<?>) input.get(1)).get(i)), 1e-9,
                    "input rate at " + batchTime);
                assertEquals(info.schedulingDelayNanos() / 1e6, num(((List<?>) delays.get(1)).get(i)), 1e-6, "scheduling at " + batchTime);
                assertEquals(info.processingNanos() / 1e6, num(((List<?>) delays.get(2)).get(i)), 1e-6, "processing at " + batchTime);
                assertEquals(info.totalDelayNanos() / 1e6, num(((List<?>) delays.get(3)).get(i)), 1e-6, "total delay at " + batchTime);
            }
            // uPlot drew them: its canvases exist with a size.
            assertTrue(driver.findElements(By.cssSelector("#chart-delays canvas")).size() >= 1);

            // Timeline: steals are shown, and the slow worker is the one marked slowest.
            // What the timeline was drawn from, beside the screenshot, for a look after a failure.
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "dashboard-timeline.json"),
                js.executeScript("return JSON.stringify(window.sluice.timeline)").toString());
            // Read the worker rows in one script too: each poll re-renders them. A 4x slower worker makes steals near
            // certain, but in a given window of stages the caller (caller-runs) may have taken its tasks first: read
            // until the rows show a stolen attempt (the wait's 60 s are only a safety net).
            final String rowsScript = "return Array.from(document.querySelectorAll('#timeline-workers li'))"
                + ".map(li => [li.dataset.worker, li.dataset.stolen, li.classList.contains('slow'), li.textContent])";
            final List<?> rows = wait.until(d -> {
                final List<?> shown = (List<?>) js.executeScript(rowsScript);
                return shown.stream().anyMatch(r -> Long.parseLong(((List<?>) r).get(1).toString()) > 0) ? shown : null;
            });
            // One row per worker, then the caller's (the job thread runs tasks too: caller-runs, on by default).
            assertEquals(WORKERS + 1, rows.size());
            assertTrue(((List<?>) rows.get(WORKERS)).get(3).toString().startsWith("caller:"), rows.toString());
            long stolen = 0;
            String slowest = null;
            for (final Object row : rows) {
                final List<?> r = (List<?>) row;
                stolen += Long.parseLong(r.get(1).toString());
                if (Boolean.TRUE.equals(r.get(2))) {
                    assertTrue(r.get(3).toString().contains("(slowest)"), r.toString());
                    slowest = r.get(0).toString();
                }
            }
            assertTrue(stolen > 0, "timeline shows no stolen attempt: " + rows);
            assertEquals(Integer.toString(job.slowWorker), slowest, "the slowest worker on the page: " + rows);
            assertTrue(num(js.executeScript("return document.getElementById('timeline').height")) > 0);

            // Offline: every resource the page loaded came from the dashboard itself.
            final List<?> resources = (List<?>) js.executeScript(
                "return performance.getEntriesByType('resource').map(r => r.name)");
            for (final Object name : resources) {
                assertTrue(name.toString().startsWith(ui.uri().toString()), "external resource " + name);
            }
            final File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            final Path target = Path.of("target", "dashboard.png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            if (driver != null) {
                driver.quit();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertEquals(List.of(), SluiceUiTest.uiThreads());
    }

    private static ChromeDriver chromium(final Path profile) {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
        final ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static long waitFor(final WebDriverWait wait, final JavascriptExecutor js, final String script) {
        return (long) num(wait.until(d -> js.executeScript(script)));
    }

    private static double num(final Object value) {
        return ((Number) value).doubleValue();
    }
}
