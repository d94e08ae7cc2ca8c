package io.sluice.bench.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import io.sluice.engine.stream.HandOff;
import io.sluice.ui.SluiceUi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dashboard's cost on streaming latency: the latency benchmark's job (filter + groupBy count at 1 ms batches)
 * run in the same JVM with no dashboard, with a dashboard attached but no page open, and with the page open (a
 * client making the page's requests: summary, new batches and the 64-stage timeline every 500 ms, plus a
 * Prometheus scrape every second). The three run in turn, rotating the order each round; the report gives per
 * configuration the median over rounds of each run's per-record p50/p99/p99.9 and its ratio to no dashboard.
 */
@Command(name = "ui-overhead", mixinStandardHelpOptions = true,
    description = "Streaming latency p99 with the dashboard off, attached, and with its page open, in one run.")
public final class UiOverheadBench implements Callable<Integer> {
    /** The three configurations. */
    enum Mode {
        OFF("no dashboard"), ATTACHED("dashboard, page closed"), PAGE_OPEN("dashboard, page open");

        final String label;

        Mode(final String label) {
            this.label = label;
        }
    }

    /** One run's result. */
    record Run(Mode mode, int round, LatencyPoint point, long requests, double cpuSeconds, double wallSeconds) {
    }

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @Option(names = "--rate", description = "records/s offered (default ${DEFAULT-VALUE})")
    private double rate = 100_000;
    @Option(names = "--interval-ms", description = "batch interval in ms (default ${DEFAULT-VALUE})")
    private long intervalMillis = 1;
    @Option(names = "--rounds", description = "rounds of the three configurations (default ${DEFAULT-VALUE})")
    private int rounds = 3;
    @Option(names = "--warmup-s", description = "warm-up seconds per run (default ${DEFAULT-VALUE})")
    private double warmupSeconds = 3;
    @Option(names = "--measure-s", description = "measured seconds per run (default ${DEFAULT-VALUE})")
    private double measureSeconds = 10;
    @Option(names = "--out", description = "report root folder (default ${DEFAULT-VALUE})")
    private Path out = Path.of("perf-reports");

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    private final String command;

    UiOverheadBench(final PrintWriter stdout, final PrintWriter stderr, final String command) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        final String command = System.getProperty(StreamBench.COMMAND_PROPERTY, "scripts/ui-overhead " + String.join(" ", args));
        System.exit(new CommandLine(new UiOverheadBench(out, err, command)).setOut(out).setErr(err).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!(rate > 0) || intervalMillis < 1 || rounds < 1 || !(warmupSeconds >= 0) || !(measureSeconds > 0)) {
            stderr.println("ui-overhead: --rate > 0, --interval-ms >= 1, --rounds >= 1, --warmup-s >= 0, --measure-s > 0");
            return 2;
        }
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final double loadBefore = RunLoad.loadAverage();
        final Duration warmup = Duration.ofMillis(Math.round(warmupSeconds * 1000));
        final Duration measure = Duration.ofMillis(Math.round(measureSeconds * 1000));
        // Unrecorded: compiles the stream, Dataset and dashboard paths.
        runOnce(Mode.PAGE_OPEN, 0, warmup, warmup.multipliedBy(2));
        final List<Run> runs = new ArrayList<>();
        final Mode[] modes = Mode.values();
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < modes.length; i++) {
                final Mode mode = modes[(i + round - 1) % modes.length];
                final Run run = runOnce(mode, round, warmup, measure);
                runs.add(run);
                stderr.printf(Locale.ROOT, "[round %d/%d] %-24s p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  (%d requests, %s)%n",
                    round, rounds, mode.label, run.point().latency().p50Nanos() / 1e6, run.point().latency().p99Nanos() / 1e6,
                    run.point().latency().p999Nanos() / 1e6, run.requests(),
                    run.point().verdict().sustainable() ? "kept up" : "fell behind");
            }
        }
        final double loadAfter = RunLoad.loadAverage();
        final String table = table(runs).render();
        stdout.print(table);
        final ReportFolder folder = ReportFolder.create(out, "ui-overhead");
        folder.write("README.md", readme(machine, loadBefore, loadAfter, runs, table));
        folder.write("runs.csv", csv(runs));
        stdout.println("ui-overhead: report " + folder.path());
        return 0;
    }

    private Run runOnce(final Mode mode, final int round, final Duration warmup, final Duration measure) throws InterruptedException {
        final AtomicReference<SluiceUi> ui = new AtomicReference<>();
        final AtomicLong requests = new AtomicLong();
        final PageClient client = new PageClient(ui, requests);
        final Thread page = new Thread(client, "sluice-bench-page");
        final long cpu0 = processCpuNanos();
        final long wall0 = System.nanoTime();
        final LatencyPoint point;
        try {
            point = LatencyBench.run(LatencyBench.Job.DATASET, HandOff.SPIN_THEN_PARK, 0, intervalMillis, rate, warmup, measure,
                (streaming, exec) -> {
                if (mode != Mode.OFF) {
                    ui.set(SluiceUi.builder().streaming(streaming).execution(exec).port(0).start());
                }
                if (mode == Mode.PAGE_OPEN) {
                    page.start();
                }
            });
        } finally {
            client.stop();
            if (page.isAlive()) {
                page.interrupt();
                page.join();
            }
        }
        return new Run(mode, round, point, requests.get(), (processCpuNanos() - cpu0) / 1e9, (System.nanoTime() - wall0) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Makes the page's requests on the page's schedule until stopped (or the dashboard closed with the stream). */
    private static final class PageClient implements Runnable {
        private final AtomicReference<SluiceUi> ui;
        private final AtomicLong requests;
        private volatile boolean stopped;

        PageClient(final AtomicReference<SluiceUi> ui, final AtomicLong requests) {
            this.ui = ui;
            this.requests = requests;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            final URI base = ui.get().uri();
            long since = 0;
            long nextScrape = System.nanoTime();
            try {
                while (!stopped) {
                    get(base, "/api/summary");
                    final String batches = get(base, "/api/batches?since=" + since);
                    final Matcher m = SEQ.matcher(batches);
                    while (m.find()) {
                        since = Long.parseLong(m.group(1));
                    }
                    get(base, "/api/timeline?stages=64");
                    if (System.nanoTime() - nextScrape >= 0) {
                        get(base, "/metrics");
                        nextScrape += 1_000_000_000L;
                    }
                    Thread.sleep(500);
                }
            } catch (final IOException | InterruptedException ex) {
                // The stream stopped and closed the dashboard, or the run ended: the page goes away with it.
                return;
            }
        }

        private String get(final URI base, final String path) throws IOException {
            final HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                final String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (c.getResponseCode() != 200) {
                    throw new IOException(path + ": HTTP " + c.getResponseCode());
                }
                requests.incrementAndGet();
                return body;
            } finally {
                c.disconnect();
            }
        }
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double medianOf(final List<Run> runs, final Mode mode, final ToLongFunction<LatencyPercentiles> f) {
        return median(runs.stream().filter(r -> r.mode() == mode).map(r -> f.applyAsLong(r.point().latency()) / 1e6).toList());
    }

    static MarkdownTable table(final List<Run> runs) {
        final MarkdownTable table = MarkdownTable.withHeader("configuration", "runs", "p50 ms", "p99 ms", "p99.9 ms", "p99 x off",
            "best-run p99 ms", "p99 per run (ms)", "requests/run", "process CPU / wall").rightAligned(1, 2, 3, 4, 5, 6, 8, 9);
        final double offP99 = medianOf(runs, Mode.OFF, LatencyPercentiles::p99Nanos);
        for (final Mode mode : Mode.values()) {
            final List<Run> of = runs.stream().filter(r -> r.mode() == mode).toList();
            final double p99 = medianOf(runs, mode, LatencyPercentiles::p99Nanos);
            table.row(mode.label, of.size(), fmt(medianOf(runs, mode, LatencyPercentiles::p50Nanos)), fmt(p99),
                fmt(medianOf(runs, mode, LatencyPercentiles::p999Nanos)), String.format(Locale.ROOT, "%.3f", p99 / offP99),
                fmt(of.stream().mapToLong(r -> r.point().latency().p99Nanos()).min().orElse(0) / 1e6),
                String.join(", ", of.stream().map(r -> fmt(r.point().latency().p99Nanos() / 1e6)).toList()),
                Math.round(of.stream().mapToLong(Run::requests).average().orElse(0)),
                String.format(Locale.ROOT, "%.2f", of.stream().mapToDouble(Run::cpuSeconds).sum()
                    / of.stream().mapToDouble(Run::wallSeconds).sum()));
        }
        return table;
    }

    private static String fmt(final double ms) {
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    private String readme(final MachineInfo machine, final double loadBefore, final double loadAfter, final List<Run> runs,
                          final String table) {
        final StringBuilder out = new StringBuilder("# Dashboard overhead on streaming latency\n\n");
        out.append("Command: `").append(command).append("`\n\n").append(machine.toMarkdown()).append('\n');
        out.append(String.format(Locale.ROOT, "Load average (1 min) before %.2f, after %.2f.%n%n", loadBefore, loadAfter));
        out.append(String.format(Locale.ROOT, "The latency benchmark's `dataset` job (`filter(key < 512).groupBy(key).count()` per "
            + "micro-batch on a 2-worker work-stealing context, rows offered one by one at %,.0f records/s, %d ms batches; "
            + "per-record latency = batch completion minus the row's receipt, HdrHistogram) in one JVM, %d rounds of three "
            + "configurations in rotating order, each run %.1f s warm-up + %.1f s measured: no dashboard; a dashboard "
            + "attached (`SluiceUi`, listeners on the streaming context and the scheduler) with no page open; the page "
            + "open (a client making the page's requests: `/api/summary`, `/api/batches?since=`, `/api/timeline?stages=64` "
            + "every 500 ms, plus `/metrics` every second). Figures are medians over the rounds; `p99 x off` is the ratio "
            + "of the median p99 to the no-dashboard median p99; `best-run p99` is the lowest p99 of a configuration's "
            + "runs (the one least disturbed by other processes).%n%n", rate, intervalMillis, rounds, warmupSeconds,
            measureSeconds));
        out.append(table).append('\n');
        out.append("`process CPU / wall`: the JVM's CPU time over the runs' wall time (cores busy on average, of ")
            .append(machine.cores()).append("). Raw data: `runs.csv`.\n");
        return out.toString();
    }

    private static String csv(final List<Run> runs) {
        final StringBuilder out = new StringBuilder("round,configuration,p50_ms,p99_ms,p999_ms,max_ms,records,batches,requests,"
            + "cpu_s,wall_s,sustainable\n");
        for (final Run r : runs) {
            final LatencyPercentiles l = r.point().latency();
            out.append(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%.3f,%.3f,%s%n", r.round(),
                r.mode().name().toLowerCase(Locale.ROOT), l.p50Nanos() / 1e6, l.p99Nanos() / 1e6, l.p999Nanos() / 1e6,
                l.maxNanos() / 1e6, l.count(), r.point().batches(),
                r.requests(), r.cpuSeconds(), r.wallSeconds(), r.point().verdict().sustainable()));
        }
        return out.toString();
    }
}
