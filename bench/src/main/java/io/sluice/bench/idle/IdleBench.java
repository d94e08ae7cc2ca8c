package io.sluice.bench.idle;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import io.sluice.bench.BackgroundLoad;
import io.sluice.bench.report.CsvWriter;
import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The idle policies of the worker pool side by side, in one JVM, per background load (quiet, then N CPU-bound threads
 * in another process): (a) an application thread's job throughput while a pool of W workers runs a tiny stage every
 * interval, as a ratio to the application alone measured just before and after it (the mean of the two), with the
 * pool's worker CPU time per second; (b) wake-up latency of a stage submitted to a pool idle for a gap, and the
 * rate of short stages run back to back. Rounds rotate the order of the contenders; the report gives medians over
 * rounds.
 */
@Command(name = "idle-bench", mixinStandardHelpOptions = true,
    description = "What each idle policy costs the application and what it costs Sluice, quiet and under load.")
public final class IdleBench implements Callable<Integer> {
    /** One (a) measurement. */
    record AppRow(int load, int workers, long intervalMillis, String contender, int round, double ratio, double cpuMillisPerSecond,
                  double stagesPerSecond, IdleProbes.Job app, IdleProbes.Job alone) {
        /** Units per CPU second of the application's thread beside the pool, over the same alone. */
        double perCpuRatio() {
            return app.unitsPerCpuSecond() / alone.unitsPerCpuSecond();
        }

        /** The application's CPU share beside the pool over its share alone. */
        double shareRatio() {
            return app.cpuShare() / alone.cpuShare();
        }
    }

    /** One (b) measurement. */
    record SluiceRow(int load, int workers, String contender, int round, IdleProbes.Wake wake, double stagesPerSecond) {
    }

    /** What a load phase measured around itself. */
    record Phase(int load, RunLoad.Measured measured, String background) {
    }

    @Option(names = "--policies", split = ",", description = "busySpin, backoff, park, agrona (the pool's strategy before)"
        + " or spins/yields/minParkNanos/maxParkNanos (default ${DEFAULT-VALUE})")
    private List<String> policies = List.of("agrona", "busySpin", "backoff", "park");
    @Option(names = "--workers", split = ",", description = "pool sizes (default ${DEFAULT-VALUE})")
    private List<Integer> workers = List.of(2, 8);
    @Option(names = "--intervals-ms", split = ",", description = "stage cadences of (a) in ms (default ${DEFAULT-VALUE})")
    private List<Long> intervalsMillis = List.of(1L, 10L, 100L);
    @Option(names = "--loads", split = ",", description = "background-load threads per phase, 0 = none (default ${DEFAULT-VALUE})")
    private List<Integer> loads = List.of(0, 2);
    @Option(names = "--rounds", description = "rounds per phase (default ${DEFAULT-VALUE})")
    private int rounds = 2;
    @Option(names = "--measure-s", description = "seconds per (a) run and per back-to-back run (default ${DEFAULT-VALUE})")
    private double measureSeconds = 1.0;
    @Option(names = "--wake-gap-ms", description = "idle gap before each wake-up sample in ms (default ${DEFAULT-VALUE})")
    private long wakeGapMillis = 10;
    @Option(names = "--wake-samples", description = "wake-up samples per run (default ${DEFAULT-VALUE})")
    private int wakeSamples = 150;
    @Option(names = "--out", description = "report root folder (default ${DEFAULT-VALUE})")
    private Path out = Path.of("perf-reports");

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    private final String command;

    IdleBench(final PrintWriter stdout, final PrintWriter stderr, final String command) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        final String command = System.getProperty("sluice.bench.command", "scripts/idle-bench " + String.join(" ", args));
        System.exit(new CommandLine(new IdleBench(out, err, command)).setOut(out).setErr(err).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || !(measureSeconds > 0) || wakeGapMillis < 0 || wakeSamples < 1 || workers.stream().anyMatch(w -> w < 1)
            || intervalsMillis.stream().anyMatch(i -> i < 1) || loads.stream().anyMatch(l -> l < 0)) {
            stderr.println("idle-bench: --rounds >= 1, --measure-s > 0, --wake-gap-ms >= 0, --wake-samples >= 1, --workers >= 1,"
                + " --intervals-ms >= 1, --loads >= 0");
            return 2;
        }
        final List<IdleContender> contenders = new ArrayList<>();
        for (final String p : policies) {
            contenders.add(IdleContender.parse(p));
        }
        final MachineInfo machine = MachineInfo.detect(Path.of("."));
        final long measure = Math.round(measureSeconds * 1e9);
        // Unrecorded: compiles the job loop, the scheduler's paths and the probes.
        IdleProbes.appAlone(measure / 2);
        IdleProbes.appBesidePool(contenders.get(0), workers.get(0), 1_000_000L, measure / 2);
        IdleProbes.wake(contenders.get(0), workers.get(0), 1_000_000L, 20);
        final List<AppRow> app = new ArrayList<>();
        final List<SluiceRow> sluice = new ArrayList<>();
        final List<Phase> phases = new ArrayList<>();
        for (final int load : loads) {
            final RunLoad run = RunLoad.start();
            final BackgroundLoad background = load > 0 ? BackgroundLoad.start(load) : null;
            try {
                for (int round = 1; round <= rounds; round++) {
                    appRound(load, round, contenders, measure, app);
                    sluiceRound(load, round, contenders, measure, sluice);
                }
            } finally {
                if (background != null) {
                    background.close();
                }
            }
            phases.add(new Phase(load, run.stop(), background == null ? "none" : background.describe()));
        }
        final String appTable = "Application throughput, x alone:\n\n" + appTable(contenders, app, AppRow::ratio, "%.3f").render()
            + "\nStages run per second (the driver asks for 1000 / interval ms; a pool that falls behind runs fewer, and burns"
            + " less CPU for it):\n\n" + appTable(contenders, app, AppRow::stagesPerSecond, "%.0f").render()
            + "\nPool CPU time, ms per second (worker threads):\n\n"
            + appTable(contenders, app, AppRow::cpuMillisPerSecond, "%.1f").render()
            + "\nApplication CPU share beside the pool over its share alone:\n\n"
            + appTable(contenders, app, AppRow::shareRatio, "%.3f").render()
            + "\nApplication units per CPU second of its thread, x alone (interference other than taking its core):\n\n"
            + appTable(contenders, app, AppRow::perCpuRatio, "%.3f").render();
        final String sluiceTable = sluiceTable(contenders, sluice).render();
        stdout.print(appTable);
        stdout.println();
        stdout.print(sluiceTable);
        final ReportFolder folder = ReportFolder.create(out, "idle-strategy");
        folder.write("README.md", readme(machine, phases, contenders, appTable, sluiceTable));
        folder.write("app.csv", appCsv(app));
        folder.write("sluice.csv", sluiceCsv(sluice));
        stdout.println("idle-bench: report " + folder.path());
        return 0;
    }

    private void appRound(final int load, final int round, final List<IdleContender> contenders, final long measure,
                          final List<AppRow> rows) throws InterruptedException {
        for (final int w : workers) {
            for (final long interval : intervalsMillis) {
                // alone, c1, alone, c2, ..., alone: each contender against the mean of the runs alone on either side.
                IdleProbes.Job before = IdleProbes.appAlone(measure).app();
                for (final IdleContender c : rotated(contenders, round + w + (int) interval)) {
                    final IdleProbes.AppCost cost = IdleProbes.appBesidePool(c, w, interval * 1_000_000L, measure);
                    final IdleProbes.Job after = IdleProbes.appAlone(measure).app();
                    final IdleProbes.Job alone = new IdleProbes.Job((before.unitsPerSecond() + after.unitsPerSecond()) / 2,
                        (before.cpuShare() + after.cpuShare()) / 2);
                    final AppRow row = new AppRow(load, w, interval, c.label(), round, cost.unitsPerSecond() / alone.unitsPerSecond(),
                        cost.poolCpuMillisPerSecond(), cost.stagesPerSecond(), cost.app(), alone);
                    rows.add(row);
                    stderr.printf(Locale.ROOT, "[load %d round %d] app beside %d workers, stage every %d ms, %-24s %.3f x alone"
                        + " (CPU share %.2f vs %.2f alone, per CPU-s %.3f x), pool CPU %.1f ms/s, %.0f stages/s%n", load, round, w,
                        interval, row.contender(), row.ratio(), row.app().cpuShare(), alone.cpuShare(), row.perCpuRatio(),
                        row.cpuMillisPerSecond(), row.stagesPerSecond());
                    before = after;
                }
            }
        }
    }

    private void sluiceRound(final int load, final int round, final List<IdleContender> contenders, final long measure,
                             final List<SluiceRow> rows) {
        for (final int w : workers) {
            for (final IdleContender c : rotated(contenders, round + w)) {
                final IdleProbes.Wake wake = IdleProbes.wake(c, w, wakeGapMillis * 1_000_000L, wakeSamples);
                final double rate = IdleProbes.backToBack(c, w, measure);
                rows.add(new SluiceRow(load, w, c.label(), round, wake, rate));
                stderr.printf(Locale.ROOT, "[load %d round %d] %d workers %-24s wake first task p50 %.1f us p99 %.1f us,"
                    + " stage done p50 %.1f us p99 %.1f us; back to back %.0f stages/s%n", load, round, w, c.label(),
                    wake.firstStartP50(), wake.firstStartP99(), wake.doneP50(), wake.doneP99(), rate);
            }
        }
    }

    private static <T> List<T> rotated(final List<T> list, final int by) {
        final List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <R> double medianOf(final List<R> rows, final Predicate<R> where,
                                       final ToDoubleFunction<R> value) {
        final List<Double> values = new ArrayList<>();
        for (final R r : rows) {
            if (where.test(r)) {
                values.add(value.applyAsDouble(r));
            }
        }
        return median(values);
    }

    private MarkdownTable appTable(final List<IdleContender> contenders, final List<AppRow> rows, final ToDoubleFunction<AppRow> metric,
                                   final String format) {
        final List<String> header = new ArrayList<>(List.of("load", "workers", "stage every"));
        for (final IdleContender c : contenders) {
            header.add(c.label());
        }
        final MarkdownTable table = MarkdownTable.withHeader(header.toArray(String[]::new));
        final int[] right = new int[header.size() - 1];
        for (int i = 0; i < right.length; i++) {
            right[i] = i + 1;
        }
        table.rightAligned(right);
        for (final int load : loads) {
            for (final int w : workers) {
                for (final long interval : intervalsMillis) {
                    final List<Object> cells = new ArrayList<>(List.of(loadLabel(load), w, interval + " ms"));
                    for (final IdleContender c : contenders) {
                        final Predicate<AppRow> cell = r -> r.load() == load && r.workers() == w
                            && r.intervalMillis() == interval && r.contender().equals(c.label());
                        cells.add(String.format(Locale.ROOT, format, medianOf(rows, cell, metric)));
                    }
                    table.row(cells.toArray());
                }
            }
        }
        return table;
    }

    private MarkdownTable sluiceTable(final List<IdleContender> contenders, final List<SluiceRow> rows) {
        final MarkdownTable table = MarkdownTable.withHeader("load", "workers", "idle policy", "first task p50 us",
            "first task p99 us", "stage done p50 us", "stage done p99 us", "back-to-back stages/s", "x " + contenders.get(0).label())
            .rightAligned(1, 3, 4, 5, 6, 7, 8);
        for (final int load : loads) {
            for (final int w : workers) {
                final double reference = medianOf(rows, r -> r.load() == load && r.workers() == w
                    && r.contender().equals(contenders.get(0).label()), SluiceRow::stagesPerSecond);
                for (final IdleContender c : contenders) {
                    final Predicate<SluiceRow> cell = r -> r.load() == load && r.workers() == w
                        && r.contender().equals(c.label());
                    final double rate = medianOf(rows, cell, SluiceRow::stagesPerSecond);
                    table.row(loadLabel(load), w, c.label(),
                        MarkdownTable.formatNumber(medianOf(rows, cell, r -> r.wake().firstStartP50())),
                        MarkdownTable.formatNumber(medianOf(rows, cell, r -> r.wake().firstStartP99())),
                        MarkdownTable.formatNumber(medianOf(rows, cell, r -> r.wake().doneP50())),
                        MarkdownTable.formatNumber(medianOf(rows, cell, r -> r.wake().doneP99())),
                        MarkdownTable.formatNumber(rate), String.format(Locale.ROOT, "%.2f", rate / reference));
                }
            }
        }
        return table;
    }

    private static String loadLabel(final int load) {
        return load == 0 ? "quiet" : "background " + load;
    }

    private String readme(final MachineInfo machine, final List<Phase> phases, final List<IdleContender> contenders,
                          final String appTable, final String sluiceTable) {
        final StringBuilder md = new StringBuilder();
        md.append("# Idle policies of the worker pool: cost to the application, cost to Sluice\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append(machine.toMarkdown());
        for (final Phase p : phases) {
            md.append("\nPhase ").append(loadLabel(p.load())).append(" (background load: ").append(p.background()).append("):\n");
            md.append(p.measured().toMarkdown());
        }
        md.append("\nIdle policies:\n\n");
        final Map<String, String> described = new LinkedHashMap<>();
        for (final IdleContender c : contenders) {
            described.put(c.label(), c.describe());
        }
        described.forEach((label, what) -> md.append("- `").append(label).append("`: ").append(what).append('\n'));
        md.append(String.format(Locale.ROOT, "%n## (a) Cost to the application%n%n"
            + "An application thread runs a fixed CPU-bound job (xorshift units) for %.1f s while a pool of W workers (work"
            + " stealing) runs a stage of W trivial tasks every interval (a micro-batch cadence, driven by another thread)."
            + " `app x alone`: the application's job units per second over the mean of the application alone measured just"
            + " before and just after it (runs alternate: alone, contender, alone, contender, ...); pool CPU: the"
            + " worker threads' CPU time per wall second; CPU share: the application thread's CPU time over wall time (how"
            + " much of a core the OS gave it); units per CPU second: its throughput per second of its own CPU time."
            + " Medians over %d round(s), contenders in a rotated order each round.%n%n", measureSeconds, rounds));
        md.append(appTable);
        md.append(String.format(Locale.ROOT, "%n## (b) Cost to Sluice%n%n"
            + "Wake-up: %d stages of one trivial task per worker, each submitted after the pool idled %d ms;"
            + " `first task`: submit to the earliest task start, `stage done`: submit to `run` returning. Back to back: stages"
            + " of 4 x W short tasks (~0.3 us each) run one after another for %.1f s. Medians over rounds.%n%n",
            wakeSamples, wakeGapMillis, measureSeconds));
        md.append(sluiceTable);
        md.append("\nRaw figures per run: `app.csv`, `sluice.csv`.\n");
        return md.toString();
    }

    private static String appCsv(final List<AppRow> rows) {
        final CsvWriter csv = new CsvWriter("load", "workers", "interval_ms", "policy", "round", "app_ratio", "pool_cpu_ms_per_s",
            "stages_per_s", "app_units_per_s", "app_cpu_share", "alone_units_per_s", "alone_cpu_share");
        for (final AppRow r : rows) {
            csv.row(r.load(), r.workers(), r.intervalMillis(), r.contender(), r.round(), r.ratio(), r.cpuMillisPerSecond(),
                r.stagesPerSecond(), r.app().unitsPerSecond(), r.app().cpuShare(), r.alone().unitsPerSecond(), r.alone().cpuShare());
        }
        return csv.toString();
    }

    private static String sluiceCsv(final List<SluiceRow> rows) {
        final CsvWriter csv = new CsvWriter("load", "workers", "policy", "round", "first_p50_us", "first_p99_us", "done_p50_us",
            "done_p99_us", "back_to_back_stages_per_s");
        for (final SluiceRow r : rows) {
            csv.row(r.load(), r.workers(), r.contender(), r.round(), r.wake().firstStartP50(), r.wake().firstStartP99(),
                r.wake().doneP50(), r.wake().doneP99(), r.stagesPerSecond());
        }
        return csv.toString();
    }
}
