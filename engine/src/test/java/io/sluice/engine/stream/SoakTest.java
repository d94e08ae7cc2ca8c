package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak ({@code scripts/soak}; skipped unless {@code -Dsluice.soak.minutes} is set): for that many minutes, jobs
 * of {@link KillRestartTest} one after another, each killed with SIGKILL at three random points and restarted on its
 * checkpoint folder, every run of the child JVM with faults injected ({@link Soak}: failed attempts, a worker death,
 * a slow worker, source disconnects on a second, TCP input) and an allocator budget. Each job's checks are
 * {@link KillRestartTest}'s (exact counts, exactly once windows, committed output file for file equal to a fault-free
 * uninterrupted run's, rows sorted; the TCP input's checks are {@link Soak}'s, at most once); each clean shutdown also
 * fails on a thread left or a byte outstanding, and each step on held bytes over the budget. Prints
 * the totals and writes them to {@code -Dsluice.soak.report} if set. {@code -Dsluice.soak.seed} sets the seed.
 */
@EnabledIfSystemProperty(named = "sluice.soak.minutes", matches = "\\d+(\\.\\d+)?")
class SoakTest {
    private static final int KILLS_PER_JOB = 3;

    @TempDir
    Path temp;

    @Test
    void jobsWithFaultsAndKillsProduceTheUninterruptedOutput() throws Exception {
        final double minutes = Double.parseDouble(System.getProperty("sluice.soak.minutes"));
        final long seed = Long.getLong("sluice.soak.seed", System.nanoTime());
        final Random random = new Random(seed);
        final long start = System.nanoTime();
        final long end = start + (long) (minutes * 60e9);
        int jobs = 0;
        long kills = 0;
        long runs = 0;
        long batches = 0;
        // attempts, failed attempts, worker deaths, slow-worker stalls, peak held bytes; TCP lines sent, received,
        // replayed from the log, drops, connections, rejected
        final long[] totals = new long[11];
        while (jobs == 0 || System.nanoTime() < end) {
            final long dataSeed = random.nextLong();
            final long faultSeed = random.nextLong();
            final Path dir = temp.resolve("job-" + jobs);
            final String context = "soak seed=" + seed + " job=" + jobs + " dataSeed=" + dataSeed + " faultSeed=" + faultSeed;
            final KillRestartTest.Job job = KillRestartTest.runJob(dir, dataSeed, KillRestartTest.killDelays(random, KILLS_PER_JOB),
                context, faultSeed);
            kills += job.kills();
            batches += KillRestartTest.countBatchFiles(dir.resolve("out"));
            runs += addRuns(totals, job.log());
            assertTrue(job.log().stream().anyMatch(line -> line.equals("SOAK-SHUTDOWN threadsLeft=0 bytesOutstanding=0")),
                "clean shutdown line; " + context);
            jobs++;
            // A checked job's folders go, so a long soak does not fill the disk.
            try (Stream<Path> walk = Files.walk(dir)) {
                for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        final List<String> report = List.of(
            "seed=" + seed,
            "duration_s=" + seconds,
            "jobs=" + jobs + " (each checked against a fault-free uninterrupted run: all equal)",
            "child_runs_started=" + runs,
            "kill9=" + kills,
            "committed_batch_times=" + batches,
            "task_attempts=" + totals[0],
            "failed_attempts=" + totals[1],
            "worker_deaths=" + totals[2],
            "slow_worker_stalls=" + totals[3],
            "peak_held_bytes=" + totals[4] + " budget_bytes=" + Soak.BUDGET_BYTES,
            "tcp_lines_sent=" + totals[5] + " received_whole_and_valid=" + totals[6] + " replayed_from_log=" + totals[7]
                + " (at most once across kills; none split, corrupted or duplicated within a run)",
            "tcp_drops=" + totals[8] + " tcp_connections=" + totals[9] + " (reconnected after every drop in every clean run)"
                + " tcp_partial_lines_rejected=" + totals[10],
            "clean_shutdowns_threads_left=0 bytes_outstanding=0",
            "result=PASS");
        System.out.println(String.join("\n", report));
        final String path = System.getProperty("sluice.soak.report");
        if (path != null && !path.isBlank()) {
            Files.write(Path.of(path), report, StandardCharsets.UTF_8);
        }
    }

    /**
     * Adds the figures of every run in a job's log to {@code totals}: the last SOAK line of a run holds its running
     * totals (a run killed before its first step has none). Returns the runs that started.
     */
    private static int addRuns(final long[] totals, final List<String> log) {
        int runs = 0;
        String last = null;
        for (final String line : log) {
            if (line.startsWith("SOAK ")) {
                last = line;
            } else if (line.equals("STARTED") || line.startsWith("run ")) {
                add(totals, last);
                last = null;
                runs += line.equals("STARTED") ? 1 : 0;
            }
        }
        add(totals, last);
        return runs;
    }

    private static void add(final long[] totals, final String line) {
        if (line == null) {
            return;
        }
        for (final String part : line.split(" ")) {
            final int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            final String key = part.substring(0, eq);
            final long value = Long.parseLong(part.substring(eq + 1));
            switch (key) {
                case "attempts" -> totals[0] += value;
                case "failedAttempts" -> totals[1] += value;
                case "workerDeaths" -> totals[2] += value;
                case "slowStalls" -> totals[3] += value;
                case "peakHeldBytes" -> totals[4] = Math.max(totals[4], value);
                case "tcpSent" -> totals[5] += value;
                case "tcpLines" -> totals[6] += value;
                case "tcpReplayed" -> totals[7] += value;
                case "tcpDrops" -> totals[8] += value;
                case "tcpConnections" -> totals[9] += value;
                case "tcpRejected" -> totals[10] += value;
                default -> { }
            }
        }
    }
}
