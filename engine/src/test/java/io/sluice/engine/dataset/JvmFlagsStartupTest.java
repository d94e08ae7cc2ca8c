package io.sluice.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.JvmFlags;
import io.sluice.memory.Schema;

/**
 * Child JVMs started as a new user would: without the flags, creating a context fails with one exception naming
 * them before any worker thread starts; with the repository's argument files, a job runs without JDK warnings.
 */
class JvmFlagsStartupTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The child: creates a context and runs a count; prints what happened for the parent to check. */
    public static void main(final String[] args) {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ExecutionContext ctx = ExecutionContext.create(SchedulerConfig.builder().name("flags-child").workers(2).build())) {
            final Schema lines = Schema.of(Field.nullable("line", ColumnType.UTF8));
            final long n = ctx.fromRows(lines, List.of(new Object[] {"a b"}, new Object[] {"c"}), 2).count();
            System.out.println("COUNT " + n);
        } catch (final IllegalStateException ex) {
            final Set<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).collect(Collectors.toSet());
            System.out.println("NEW-THREADS " + started);
            System.out.println("FAILED " + ex.getMessage());
        }
    }

    private static String run(final List<String> flags) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"), JvmFlagsStartupTest.class.getName()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child did not exit: " + out);
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static List<String> argfiles() {
        final List<String> files = new ArrayList<>(List.of("@" + ROOT.resolve(JvmFlags.ARGFILE)));
        if (Runtime.version().feature() >= JvmFlags.JDK_WITH_EXTRA_FLAGS) {
            files.add("@" + ROOT.resolve(JvmFlags.ARGFILE_JDK23));
        }
        return files;
    }

    @Test
    void withoutFlagsOneExceptionNamesEveryFlagBeforeAnyThreadStarts() throws Exception {
        final String out = run(List.of());
        assertTrue(out.contains("NEW-THREADS []"), out);
        // Every flag but one: jdk.unsupported exports sun.misc to everyone, so that flag is always in effect.
        final List<String> expected = new ArrayList<>(JvmFlags.forCurrentJdk());
        assertTrue(expected.remove("--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"));
        assertTrue(out.contains("FAILED Sluice needs JVM flags this JVM was started without: " + String.join(" ", expected)
            + ". "), out);
        assertTrue(out.contains("java @sluice.jvmopts"), out);
        assertFalse(out.contains("COUNT"), out);
        assertFalse(out.contains("IllegalAccessError"), out);
    }

    @Test
    void oneMissingFlagIsTheOnlyOneNamed() throws Exception {
        final List<String> flags = new ArrayList<>(JvmFlags.forCurrentJdk());
        assertTrue(flags.remove("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        final String out = run(flags);
        assertTrue(out.contains("FAILED Sluice needs JVM flags this JVM was started without: "
            + "--add-opens=java.base/java.nio=ALL-UNNAMED. "), out);
    }

    @Test
    void theRepositoryArgumentFilesAreEnoughAndSilenceTheJdk() throws Exception {
        final String out = run(argfiles());
        assertTrue(out.contains("COUNT 2"), out);
        assertFalse(out.contains("WARNING"), out);
    }
}
