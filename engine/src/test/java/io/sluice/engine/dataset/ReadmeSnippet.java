package io.sluice.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * For the tests that run a README example: the code between {@code // README:begin} and {@code // README:end} in a
 * test's own source must appear in README.md exactly (common indentation removed).
 */
public final class ReadmeSnippet {
    private static final Path README = Path.of("..", "README.md");

    private ReadmeSnippet() {
    }

    /** Asserts README.md contains the marked block of {@code testSource} (relative to the module); {@code what} names it. */
    public static void assertReadmeShows(final Path testSource, final String what) throws IOException {
        final List<String> mine = between(Files.readAllLines(testSource, StandardCharsets.UTF_8));
        assertTrue(mine.size() > 5, "markers found in " + testSource);
        final String readme = Files.readString(README, StandardCharsets.UTF_8);
        final String block = String.join("\n", mine);
        assertTrue(readme.contains(block), "README.md must contain " + what + " exactly as run here:\n" + block);
    }

    /** The lines between the markers, with the common indentation removed (README's block starts at column 0). */
    private static List<String> between(final List<String> lines) {
        final List<String> out = new ArrayList<>();
        boolean in = false;
        for (final String line : lines) {
            if (line.contains("// README:end")) {
                break;
            }
            if (in) {
                out.add(line);
            }
            if (line.contains("// README:begin")) {
                in = true;
            }
        }
        final int indent = out.stream().filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return out.stream().map(l -> l.length() >= indent ? l.substring(indent) : l).collect(Collectors.toList());
    }
}
