package io.sluice.bench.stream;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.sluice.bench.report.MachineInfo;
import io.sluice.bench.report.ReportFolder;
import io.sluice.bench.report.RunLoad;

/**
 * Writes a stream-bench report folder: {@code README.md} (command, machine, load, then one section per benchmark
 * with its tables, goal verdicts and plots) and the raw data as CSV. The sections are written by
 * {@link LatencyReport}, {@link ThroughputReport} and {@link StragglerReport}.
 */
public final class StreamReport {
    /** What the README says about the run besides the results. */
    public record Context(String command, MachineInfo machine, StreamBenchPlan plan, Set<StreamBench.Section> sections,
                          double minutes, RunLoad.Measured load, String needle) {
    }

    private StreamReport() {
    }

    /** Writes every file into {@code folder} and returns the README's path. */
    public static Path write(final ReportFolder folder, final Context context, final StreamResults results) {
        final StringBuilder readme = new StringBuilder();
        readme.append("# Streaming benchmarks: latency, throughput, stragglers").append(context.plan().quick()
            ? " (quick run: indicative only)" : "").append("\n\n");
        readme.append("## Command\n\n```\n").append(context.command()).append("\n```\n\n");
        readme.append(String.format(Locale.ROOT, "Sections: %s. Wall time %.1f min.%n%n", context.sections(),
            context.minutes()));
        readme.append("## Machine\n\n").append(context.machine().toMarkdown());
        readme.append(context.load().toMarkdown());
        readme.append("- Every figure here is from one run; with the load above, tail percentiles (p99.9, max) "
            + "especially show other processes' CPU use and GC pauses.\n\n");
        if (context.sections().contains(StreamBench.Section.LATENCY)) {
            readme.append(LatencyReport.write(folder, context.plan(), results.latency()));
        }
        if (context.sections().contains(StreamBench.Section.THROUGHPUT)) {
            readme.append(ThroughputReport.write(folder, context, results));
        }
        if (context.sections().contains(StreamBench.Section.STRAGGLER)) {
            readme.append(StragglerReport.write(folder, context.plan(), results));
        }
        return folder.write("README.md", readme.toString());
    }

    /** Milliseconds from nanoseconds, for tables. */
    static double ms(final long nanos) {
        return nanos / 1e6;
    }
}
