package io.sluice.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * A new report folder {@code <root>/YYYY-MM-DD-<name>[-N]}. An existing folder is never reused or overwritten: the
 * first free suffix -2, -3, ... is taken, atomically (two runs started at once get two folders).
 */
public final class ReportFolder {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Far more than any day sees; stops a loop if the file system keeps refusing. */
    private static final int MAX_SUFFIX = 10_000;

    private final Path path;

    private ReportFolder(final Path path) {
        this.path = path;
    }

    /** Creates {@code root} if needed and a new folder for {@code name} (lower case, digits, dashes) dated today. */
    public static ReportFolder create(final Path root, final String name) {
        return create(root, name, LocalDate.now());
    }

    /** As {@link #create(Path, String)} with an explicit date. */
    public static ReportFolder create(final Path root, final String name, final LocalDate date) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("report name='" + name + "' must match " + NAME.pattern());
        }
        try {
            Files.createDirectories(root);
            final String base = date + "-" + name;
            for (int n = 1; n <= MAX_SUFFIX; n++) {
                final Path candidate = root.resolve(n == 1 ? base : base + "-" + n);
                try {
                    return new ReportFolder(Files.createDirectory(candidate));
                } catch (final FileAlreadyExistsException ignored) {
                    // taken by an earlier report: try the next suffix
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot create a report folder under root=" + root + " name=" + name, ex);
        }
        throw new IllegalStateException("no free report folder under root=" + root + " for name=" + name
            + " after suffix " + MAX_SUFFIX);
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /** The path of a file in this folder; the name must be a plain file name (no separators, no leading dot). */
    public Path resolve(final String fileName) {
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("report file name='" + fileName + "' must match " + FILE_NAME.pattern());
        }
        return path.resolve(fileName);
    }

    /** Writes (or replaces) a UTF-8 text file in this folder and returns its path. */
    public Path write(final String fileName, final String content) {
        final Path file = resolve(fileName);
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot write report file=" + file, ex);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
