package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The argument files in the repository root and the jar hold the parent pom's flags, and the check sees them. */
class JvmFlagsTest {
    /** The flags of an argument file: whitespace-separated, {@code #} to the end of a line is a comment. */
    static List<String> argfile(final Path file) throws IOException {
        final List<String> out = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            final int hash = line.indexOf('#');
            final String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!text.isEmpty()) {
                out.addAll(Arrays.asList(text.split("\\s+")));
            }
        }
        return out;
    }

    @Test
    void repositoryArgumentFilesEqualThePomFlagsCopiedIntoTheJar() throws IOException {
        // forJdk reads META-INF/*.jvmopts, which the build filters from the parent pom's sluice.jvm.flags(.jdk23).
        final List<String> base = JvmFlags.forJdk(17);
        final List<String> all = JvmFlags.forJdk(25);
        assertTrue(base.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), base.toString());
        assertFalse(base.stream().anyMatch(f -> f.contains("${")), "unfiltered resource: " + base);
        assertEquals(base, argfile(Path.of("..", JvmFlags.ARGFILE)),
            "the repository's " + JvmFlags.ARGFILE + " must list the parent pom's sluice.jvm.flags");
        assertEquals(all.subList(base.size(), all.size()), argfile(Path.of("..", JvmFlags.ARGFILE_JDK23)),
            "the repository's " + JvmFlags.ARGFILE_JDK23 + " must list the parent pom's sluice.jvm.flags.jdk23");
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"),
            all.subList(base.size(), all.size()));
        assertEquals(base, JvmFlags.forJdk(22));
        assertEquals(all, JvmFlags.forJdk(JvmFlags.JDK_WITH_EXTRA_FLAGS));
    }

    @Test
    void surefireGaveThisJvmEveryFlagSoTheCheckPasses() {
        assertEquals(List.of(), JvmFlags.missing());
        JvmFlags.check();
        new BufferAllocator().close();
    }

    @Test
    void aFlagNotInEffectIsReportedAndUnknownFormsCountAsGiven() {
        final Module unnamed = JvmFlagsTest.class.getModule();
        assertTrue(JvmFlags.inEffect("--add-opens=java.base/java.nio=ALL-UNNAMED", unnamed));
        assertFalse(JvmFlags.inEffect("--add-opens=java.base/java.util.zip=ALL-UNNAMED", unnamed));
        assertFalse(JvmFlags.inEffect("--add-exports=java.base/sun.security.util=ALL-UNNAMED", unnamed));
        assertFalse(JvmFlags.inEffect("--sun-misc-unsafe-memory-access=deny", unnamed));
        assertTrue(JvmFlags.inEffect("-Xss1m", unnamed));
    }

    @Test
    void theMessageNamesEveryMissingFlagAndBothArgumentFiles() {
        final String m17 = JvmFlags.message(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=a/b=ALL-UNNAMED"), 17);
        assertTrue(m17.contains("--add-opens=java.base/java.nio=ALL-UNNAMED --add-exports=a/b=ALL-UNNAMED"), m17);
        assertTrue(m17.contains("java @sluice.jvmopts ..."), m17);
        final String m25 = JvmFlags.message(List.of("--enable-native-access=ALL-UNNAMED"), 25);
        assertTrue(m25.contains("java @sluice.jvmopts @sluice-jdk23.jvmopts ..."), m25);
    }
}
