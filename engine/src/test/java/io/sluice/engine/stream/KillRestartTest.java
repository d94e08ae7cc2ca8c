package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a streaming job in a child JVM with SIGKILL at random points, restarts it on the same checkpoint folder
 * until it completes, and checks the results exactly: per word, the per-batch output files sum to the count of the
 * generator's rows, and the final operator state equals it too; the event-time window counts committed by batch
 * time hold every (window, word) the final watermark closed exactly once, with the count of the generator's rows in
 * it (no row is late: the disorder is below the lateness, so that output does not depend on where batches were
 * cut); and the committed output equals, file for file, that of the same job run once without a kill (the child
 * steps its clock, so what each batch holds does not depend on timing). {@code -Dsluice.killSoak.iterations=N} sets the
 * number of kills (default 3; the {@code kill-soak} profile runs 50), {@code -Dsluice.killSoak.seed} the seed of
 * the kill delays (printed on failure).
 */
class KillRestartTest {
    private static final int KILLS_PER_JOB = 3;
    private static final long LIMIT = 24_000;
    private static final double RATE = 20_000;
    private static final long INTERVAL_MILLIS = 40;
    /** About the length of a run on a loaded machine (the child's stepped clock runs as fast as batches are cut). */
    private static final long MAX_KILL_DELAY_MILLIS = 3000;
    /** Every fourth kill or so lands at a random point after spawning, maybe before STARTED (JVM start, folder open). */
    private static final int EARLY_KILL_ONE_IN = 4;
    private static final long MAX_EARLY_KILL_MILLIS = 1500;
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    @TempDir
    Path temp;

    @Test
    void jobKilledWithSigkillAtRandomPointsProducesExactlyTheUninterruptedResults() throws Exception {
        final int kills = Integer.getInteger("sluice.killSoak.iterations", KILLS_PER_JOB);
        final long seed = Long.getLong("sluice.killSoak.seed", System.nanoTime());
        final Random random = new Random(seed);
        int killed = 0;
        for (int job = 0; killed < kills; job++) {
            final long dataSeed = random.nextLong();
            final int killsThisJob = Math.min(KILLS_PER_JOB, kills - killed);
            final List<Long> delays = killDelays(random, killsThisJob);
            final String context = "seed=" + seed + " job=" + job + " dataSeed=" + dataSeed
                + " kill delays (ms; d >= 0: d after STARTED, d < 0: -1-d after spawn)=" + delays;
            final Job done = runJob(temp.resolve("job-" + job), dataSeed, delays, context, null);
            System.out.println("kill -9 job passed: kills=" + done.kills() + " " + context + "\n" + String.join("\n", done.log()));
            killed += done.kills();
        }
    }

    /** The kills that happened in one job and the output of every run of it. */
    record Job(int kills, List<String> log) {
    }

    /** Kill delays for a job: a random point after STARTED, or (every fourth or so) a random point after spawning. */
    static List<Long> killDelays(final Random random, final int kills) {
        final List<Long> delays = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            delays.add(random.nextInt(EARLY_KILL_ONE_IN) == 0 ? -1 - random.nextInt((int) MAX_EARLY_KILL_MILLIS)
                : (long) random.nextInt((int) MAX_KILL_DELAY_MILLIS + 1));
        }
        return delays;
    }

    /**
     * Runs one job to completion through {@code delays.size()} kills and checks its output; with a {@code faultSeed}
     * ({@link SoakTest}) the child injects faults ({@link Soak}).
     */
    static Job runJob(final Path dir, final long dataSeed, final List<Long> delays, final String context, final Long faultSeed)
        throws Exception {
        final Path checkpoint = dir.resolve("checkpoint");
        final Path out = dir.resolve("out");
        final List<String> log = new ArrayList<>();
        int killed = 0;
        boolean done = false;
        for (int run = 0; !done; run++) {
            if (run > delays.size() + 3) {
                fail("job did not complete after " + run + " runs; " + context + "\n" + String.join("\n", log));
            }
            final Child child = Child.start(checkpoint, out, dataSeed, faultSeed);
            if (run < delays.size() && delays.get(run) < 0) {
                final long delay = -1 - delays.get(run);
                if (child.await("DONE", delay / 1000.0) == null) {
                    log.addAll(child.kill());
                    log.add("run " + run + ": killed " + delay + " ms after spawn, batch files so far=" + countBatchFiles(out));
                    killed++;
                    continue;
                }
                log.addAll(child.finish(RUN_TIMEOUT_SECONDS));
                break;
            }
            final String started = child.await("STARTED", START_TIMEOUT_SECONDS);
            if (started == null) {
                log.addAll(child.kill());
                fail("run " + run + " did not start; " + context + "\n" + String.join("\n", log));
            }
            if (run < delays.size()) {
                final String finished = child.await("DONE", delays.get(run) / 1000.0);
                if (finished != null) {
                    log.addAll(child.finish(RUN_TIMEOUT_SECONDS));
                    done = true;
                } else {
                    log.addAll(child.kill());
                    log.add("run " + run + ": killed " + delays.get(run) + " ms after STARTED, batch files so far="
                        + countBatchFiles(out));
                    killed++;
                }
            } else {
                if (child.await("DONE", RUN_TIMEOUT_SECONDS) == null) {
                    log.addAll(child.kill());
                    fail("run " + run + " did not finish; " + context + "\n" + String.join("\n", log));
                }
                log.addAll(child.finish(RUN_TIMEOUT_SECONDS));
                done = true;
            }
        }
        final Map<String, Long> windows = new TreeMap<>();
        final Map<String, Long> expected = expectedCounts(dataSeed, windows);
        final String details = context + "\n" + String.join("\n", log);
        assertEquals(LIMIT, expected.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(expected, sumOfBatchFiles(out), "per-batch output files (exactly once); " + details);
        assertEquals(expected, parse(out.resolve(KillRestartChild.FINAL_STATE)), "final operator state; " + details);
        assertTrue(windows.size() > 50, "closed (window, word) pairs=" + windows.size());
        assertEquals(windows, windowFiles(out), "event-time window counts (exactly once); " + details);
        assertSameFiles(uninterrupted(dir.resolve("uninterrupted"), dataSeed), out, details);
        return new Job(killed, log);
    }

    /** Runs the same job once without a kill; returns its output folder. */
    private static Path uninterrupted(final Path dir, final long dataSeed) throws Exception {
        final Child child = Child.start(dir.resolve("checkpoint"), dir.resolve("out"), dataSeed, null);
        if (child.await("DONE", RUN_TIMEOUT_SECONDS) == null) {
            fail("the uninterrupted run did not finish:\n" + String.join("\n", child.kill()));
        }
        child.finish(RUN_TIMEOUT_SECONDS);
        return dir.resolve("out");
    }

    /**
     * Finding 10: the committed output after kills holds exactly the files of an uninterrupted run (no stray attempt
     * or temporary file, no missing or extra batch folder), each with the same rows. Rows are compared as a sorted
     * list, since the order in which an aggregation emits rows is not part of its result.
     */
    private static void assertSameFiles(final Path expected, final Path actual, final String details) throws IOException {
        final Map<String, List<String>> want = contents(expected);
        final Map<String, List<String>> got = contents(actual);
        assertEquals(want.keySet(), got.keySet(), "files of the output against an uninterrupted run; " + details);
        for (final String name : want.keySet()) {
            assertEquals(want.get(name), got.get(name), "file " + name + " against an uninterrupted run; " + details);
        }
    }

    /** Every file below {@code root} by relative path: a batch file as its sorted rows, any other file as its lines. */
    private static Map<String, List<String>> contents(final Path root) throws IOException {
        final Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root); BufferAllocator allocator = new BufferAllocator()) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                final String name = root.relativize(path).toString();
                if (Files.isDirectory(path)) {
                    files.put(name + "/", List.of());
                } else if (name.endsWith(".sbf")) {
                    files.put(name, rows(path, allocator));
                } else {
                    files.put(name, Files.readAllLines(path, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static List<String> rows(final Path file, final BufferAllocator allocator) {
        final List<String> rows = new ArrayList<>();
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            for (final Batch batch : reader.readAll(allocator)) {
                for (int row = 0; row < batch.rowCount(); row++) {
                    final StringBuilder text = new StringBuilder();
                    for (int c = 0; c < batch.columnCount(); c++) {
                        final ColumnVector vector = batch.vector(c);
                        text.append(c == 0 ? "" : "|").append(vector.isNull(row) ? "null" : vector.type() == ColumnType.UTF8
                            ? ((Utf8Vector) vector).getString(row) : Long.toString(((Int64Vector) vector).get(row)));
                    }
                    rows.add(text.toString());
                }
                batch.release();
            }
        }
        rows.sort(null);
        return rows;
    }

    /**
     * The count per word of the generator's rows, computed in this JVM on a manual clock; {@code windows} gets the
     * count per "window_start|word" of every tumbling window the final watermark (max event time - lateness) closed.
     */
    private static Map<String, Long> expectedCounts(final long dataSeed, final Map<String, Long> windows) throws Exception {
        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, Long> allWindows = new TreeMap<>();
        final long[] maxTs = {Long.MIN_VALUE};
        final ManualStreamClock clock = new ManualStreamClock(0);
        try (BufferAllocator allocator = new BufferAllocator()) {
            final GeneratorSource source = KillRestartChild.source(LIMIT, dataSeed, RATE);
            try (StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofSeconds(1)).allocator(allocator)
                .clock(clock).build()) {
                context.foreachBatch(context.input(source), (time, batch) -> {
                    for (final String word : Collector.rows(batch)) {
                        counts.merge(word, 1L, Long::sum);
                    }
                    for (int row = 0; row < batch.rowCount(); row++) {
                        final long ts = batch.int64Vector(2).get(row);
                        maxTs[0] = Math.max(maxTs[0], ts);
                        final long start = Math.floorDiv(ts, KillRestartChild.WINDOW_MILLIS) * KillRestartChild.WINDOW_MILLIS;
                        allWindows.merge(start + "|" + batch.utf8Vector(0).getString(row), 1L, Long::sum);
                    }
                });
                context.start();
                final long seconds = (long) Math.ceil(LIMIT / RATE);
                clock.advanceMillis(seconds * 1000);
                assertTrue(context.awaitBatchCompleted(seconds * 1000, Duration.ofSeconds(60)));
            }
            assertTrue(source.exhausted());
        }
        allWindows.forEach((window, count) -> {
            final long start = Long.parseLong(window.substring(0, window.indexOf('|')));
            if (start + KillRestartChild.WINDOW_MILLIS <= maxTs[0] - KillRestartChild.LATENESS_MILLIS) {
                windows.put(window, count);
            }
        });
        return counts;
    }

    /** Every committed window row as "window_start|word" -> count; a pair committed twice fails. */
    private static Map<String, Long> windowFiles(final Path out) throws IOException {
        final Map<String, Long> rows = new TreeMap<>();
        final Path dir = out.resolve(KillRestartChild.WINDOWS);
        final List<Path> committed;
        try (Stream<Path> listing = Files.list(dir)) {
            committed = listing.filter(d -> d.getFileName().toString().startsWith("batch-")).sorted().toList();
        }
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("kill-check").workers(1).build(),
                 allocator, 1)) {
            for (final Path batch : committed) {
                for (final Object[] row : exec.readFiles(batch).collect()) {
                    assertEquals(row[1], (Long) row[0] + KillRestartChild.WINDOW_MILLIS, "window_end of " + Arrays.toString(row));
                    final Long before = rows.put(row[0] + "|" + row[2], (Long) row[3]);
                    assertEquals(null, before, "window row " + Arrays.toString(row) + " committed twice, in " + batch);
                }
            }
        }
        return rows;
    }

    /** The batch times committed to the file sink. */
    private static List<Path> committedBatches(final Path out) throws IOException {
        final Path batches = out.resolve(KillRestartChild.BATCHES);
        if (!Files.isDirectory(batches)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(batches)) {
            return listing.filter(dir -> dir.getFileName().toString().startsWith("batch-")).sorted().toList();
        }
    }

    static long countBatchFiles(final Path out) throws IOException {
        return committedBatches(out).size();
    }

    /** The per-batch counts of every committed batch time, read back as batch files and summed per word. */
    private static Map<String, Long> sumOfBatchFiles(final Path out) throws IOException {
        final Map<String, Long> sum = new TreeMap<>();
        final List<Path> committed = committedBatches(out);
        assertTrue(committed.size() > 1, "committed batch times=" + committed.size());
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("kill-check").workers(1).build(),
                 allocator, 1)) {
            for (final Path dir : committed) {
                for (final Object[] row : exec.readFiles(dir).collect()) {
                    sum.merge((String) row[0], (Long) row[1], Long::sum);
                }
            }
        }
        return sum;
    }

    private static Map<String, Long> parse(final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(!lines.isEmpty() && lines.get(lines.size() - 1).equals("end"), "incomplete file " + file);
        final Map<String, Long> counts = new TreeMap<>();
        for (final String line : lines.subList(0, lines.size() - 1)) {
            final String[] parts = line.split("\t");
            assertEquals(2, parts.length, "line '" + line + "' of " + file);
            counts.put(parts[0], Long.parseLong(parts[1]));
        }
        return counts;
    }

    /** A child JVM running {@link KillRestartChild}, its output lines read by a daemon thread. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        private Child(final Process process) {
            this.process = process;
            final Thread reader = new Thread(this::read, "kill-test-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(final Path checkpoint, final Path out, final long dataSeed, final Long faultSeed) throws IOException {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags());
            command.addAll(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-Dsluice.memory.boundsChecks=true",
                "-cp", System.getProperty("java.class.path"), KillRestartChild.class.getName(), checkpoint.toString(), out.toString(),
                Long.toString(LIMIT), Long.toString(dataSeed), Long.toString(INTERVAL_MILLIS), Double.toString(RATE)));
            if (faultSeed != null) {
                command.add(Long.toString(faultSeed));
            }
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** The Chronicle flags surefire gave this JVM (system property from engine/pom.xml, else this JVM's own). */
        private static List<String> jvmFlags() {
            final String flags = System.getProperty("sluice.jvm.flags");
            if (flags != null && !flags.isBlank()) {
                return Arrays.asList(flags.trim().split("\\s+"));
            }
            return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc"))
                .toList();
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (final IOException ex) {
                lines.add("(output closed: " + ex + ")");
            }
        }

        /** Waits for a line equal to {@code marker}; null on timeout or once the child has exited without it. */
        String await(final String marker, final double seconds) throws InterruptedException {
            final long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (true) {
                final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return null;
                }
                seen.add(line);
                if (line.equals(marker)) {
                    return line;
                }
            }
        }

        /** SIGKILL (destroyForcibly on a POSIX system) and wait for the process to be gone; returns its output. */
        List<String> kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
            return drain();
        }

        /** Waits for a clean exit; returns its output, failing if the exit code is not 0. */
        List<String> finish(final long timeoutSeconds) throws InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                fail("child did not exit after DONE:\n" + String.join("\n", drain()));
            }
            final List<String> output = drain();
            assertEquals(0, process.exitValue(), "child exit code; output:\n" + String.join("\n", output));
            return output;
        }

        private List<String> drain() throws InterruptedException {
            // The reader ends at end of stream once the process is gone; a short wait collects its last lines.
            for (String line = lines.poll(200, TimeUnit.MILLISECONDS); line != null; line = lines.poll(50, TimeUnit.MILLISECONDS)) {
                seen.add(line);
            }
            return new ArrayList<>(seen);
        }
    }
}
