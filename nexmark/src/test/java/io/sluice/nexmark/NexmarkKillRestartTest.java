package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * q11 (sessions, event time) as a checkpointed stream in a child JVM, killed with SIGKILL at random points and
 * restarted on the same checkpoint folder until it completes: the committed output must hold exactly the rows of an
 * uninterrupted run, each once.
 */
class NexmarkKillRestartTest {
    private static final NexmarkQuery QUERY = NexmarkQuery.Q11;
    private static final long EVENTS = 40_000;
    private static final long PER_POLL = 400;
    private static final long INTERVAL_MILLIS = 20;
    private static final int KILLS = 3;

    @TempDir
    Path temp;

    @Test
    void killedWithSigkillAndRestartedTheOutputEqualsAnUninterruptedRun() throws Exception {
        final long seed = Long.getLong("sluice.killSoak.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Path checkpoint = temp.resolve("checkpoint");
        final Path out = temp.resolve("out");
        final List<String> log = new ArrayList<>();
        for (int run = 0; ; run++) {
            if (run > KILLS + 3) {
                fail("no complete run after " + run + " starts; seed=" + seed + "\n" + String.join("\n", log));
            }
            final Path console = temp.resolve("run-" + run + ".log");
            final Process child = start(checkpoint, out, console);
            if (run < KILLS) {
                final long delay = random.nextInt(1500);
                Thread.sleep(delay);
                child.destroyForcibly();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "killed child did not exit");
                log.add("run " + run + ": killed " + delay + " ms after spawn, output lines: " + drain(console));
                continue;
            }
            assertTrue(child.waitFor(180, TimeUnit.SECONDS), "child did not finish; seed=" + seed);
            final List<String> output = drain(console);
            log.add("run " + run + ": exit=" + child.exitValue() + " output: " + output);
            assertEquals(0, child.exitValue(), String.join("\n", log));
            assertTrue(output.contains("DONE"), String.join("\n", log));
            break;
        }
        final RunResult uninterrupted = new SluiceRunner(2, PER_POLL * 10).run(QUERY, NexmarkConfig.defaults(EVENTS), true);
        assertTrue(uninterrupted.rows().size() > 100, "rows=" + uninterrupted.rows().size());
        assertEquals(sorted(uninterrupted.rows()), sorted(committed(out)), "seed=" + seed + "\n" + String.join("\n", log));
        System.out.println("nexmark kill -9 test passed: seed=" + seed + "\n" + String.join("\n", log));
    }

    private static Process start(final Path checkpoint, final Path out, final Path console) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc"))
            .toList());
        command.addAll(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-cp", System.getProperty("java.class.path"),
            NexmarkKillChild.class.getName(), checkpoint.toString(), out.toString(), QUERY.label(), Long.toString(EVENTS),
            Long.toString(PER_POLL), Long.toString(INTERVAL_MILLIS)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
    }

    /** The child's console lines, less the logger's. */
    private static List<String> drain(final Path console) throws IOException {
        return Files.readAllLines(console, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.contains(" INFO ") && !line.contains(" WARN ")).toList();
    }

    /** Every row of every committed batch folder. */
    private static List<Object[]> committed(final Path out) throws IOException {
        final List<Object[]> rows = new ArrayList<>();
        try (ExecutionContext ctx = ExecutionContext.create(SchedulerConfig.builder().workers(1).build());
             Stream<Path> folders = Files.list(out)) {
            for (final Path folder : folders.filter(f -> f.getFileName().toString().startsWith("batch-")).toList()) {
                final Dataset batch = ctx.readFiles(folder);
                rows.addAll(batch.collect());
            }
        }
        return rows;
    }

    private static List<String> sorted(final List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
