package io.sluice.engine.stream.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up new files in a folder, each file once, in name order: text files (one row of the {@code line} UTF8
 * column per line) or Sluice batch files of a given schema. A pull source: the folder is listed right before each
 * cut, by the job generator (see {@link Source#poll}).
 *
 * <p>Only complete files are read: a writer creates a file under a name starting with {@code '.'} or ending in
 * {@code .tmp} and renames it into place atomically ({@link io.sluice.memory.BatchFileWriter} does exactly that);
 * such names, sub-folders and files already taken are skipped. A file is taken whole, into one block, or not at
 * all: if the stream's budget has no room it stays for a later batch. Text files are read in 64 KiB chunks (never
 * whole onto the heap); a file's lines must fit one column (1 GiB of text). Bad lines (invalid UTF-8, over-long)
 * are counted and skipped; a batch file of another schema has all its rows rejected. A file that cannot be read
 * for any reason (corrupt, unreadable, too large, the allocator's limit) is never retried: by default it is
 * skipped and counted in {@link #rejectedFiles()} with a WARN naming the source, file and cause, and later files
 * are read; with {@link #failOnBadFile()} it fails the stream instead, with that cause.
 *
 * <p>Optional filters: {@link #glob(String)} takes only the file names matching a glob, and
 * {@link #maxFilesPerBatch(int)} bounds how many files one batch takes.
 *
 * <p>Files are consumed in name order, so writers should name them in increasing order (a timestamp prefix): a file
 * that appears with a name sorting at or before the last file taken is skipped, counted as a rejected file, with a
 * WARN. Replayable: the offset is the name of the last file taken; a source seeked to it skips every file whose
 * name sorts at or before it (they were logged by an earlier run) and takes the ones after it again.
 */
public final class DirectorySource implements ReplayableSource {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySource.class);
    private static final int TEXT_CHUNK_BYTES = 64 << 10;

    private final String name;
    private final Path folder;
    private final Schema schema;
    private final boolean text;
    private final int maxLineBytes;
    private final RejectCounter rejects;
    private final Set<String> taken = new HashSet<>();
    private PathMatcher nameFilter = path -> true;
    private String globPattern;
    private int maxFilesPerBatch = Integer.MAX_VALUE;
    private boolean failOnBadFile;
    private String lastTaken = "";
    private String seekedTo = "";
    private long rejectedFiles;
    private long filesRead;

    private DirectorySource(final String name, final Path folder, final Schema schema, final boolean text, final int maxLineBytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.text = text;
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes=" + maxLineBytes + " must be > 0");
        }
        this.maxLineBytes = maxLineBytes;
        this.rejects = new RejectCounter(LOG, name);
    }

    /** Text files, lines of at most {@code maxLineBytes} bytes. */
    public static DirectorySource textLines(final String name, final Path folder, final int maxLineBytes) {
        return new DirectorySource(name, folder, LineAssembler.LINES, true, maxLineBytes);
    }

    /** Sluice batch files of {@code schema}. */
    public static DirectorySource batchFiles(final String name, final Path folder, final Schema schema) {
        return new DirectorySource(name, folder, schema, false, Integer.MAX_VALUE);
    }

    /**
     * Takes only files whose name matches {@code pattern}, a {@link java.nio.file.FileSystem#getPathMatcher glob}
     * such as {@code "*.csv"} or {@code "events-[0-9]*.sbf"} (default: every file). Before start.
     */
    public synchronized DirectorySource glob(final String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        try {
            nameFilter = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            globPattern = pattern;
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("directory source '" + name + "' glob='" + pattern + "' is not a glob: "
                + ex.getMessage(), ex);
        }
        return this;
    }

    /** Takes at most {@code files} files per batch (default: no limit; 1 gives one file per batch). Before start. */
    public synchronized DirectorySource maxFilesPerBatch(final int files) {
        if (files <= 0) {
            throw new IllegalArgumentException("directory source '" + name + "' maxFilesPerBatch=" + files + " must be > 0");
        }
        maxFilesPerBatch = files;
        return this;
    }

    /** A file that cannot be read fails the stream (with the cause) instead of being skipped and counted. */
    public synchronized DirectorySource failOnBadFile() {
        failOnBadFile = true;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public void start(final SourceContext context) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("directory source '" + name + "' folder=" + folder + " is not a directory");
        }
    }

    @Override
    public synchronized void poll(final SourceContext context, final long nowNanos) {
        long allowance = context.recordAllowance();
        boolean first = true;
        int files = 0;
        for (final Path file : newFiles()) {
            if (allowance <= 0 && !first || files == maxFilesPerBatch) {
                return;
            }
            final Batch block;
            try {
                block = read(context, file);
            } catch (final RuntimeException ex) {
                // Anything else a read can throw (the allocator's limit, a column over 1 GiB, a bug): never leave
                // the file untaken, to be re-read and fail every batch while later files wait behind it.
                if (failOnBadFile) {
                    context.fail(new IllegalStateException("directory source '" + name + "' cannot read file " + file, ex));
                    return;
                }
                markTaken(file);
                rejectFile(file, "cannot be read: " + ex);
                continue;
            }
            files++;
            if (block != null) {
                if (!context.tryStore(block)) {
                    block.release();
                    return;
                }
                allowance -= block.rowCount();
            }
            first = false;
            markTaken(file);
            filesRead++;
        }
    }

    private void markTaken(final Path file) {
        final String fileName = file.getFileName().toString();
        taken.add(fileName);
        lastTaken = fileName;
    }

    /** The name of the last file taken, or "" if none. */
    @Override
    public synchronized String offset() {
        return lastTaken;
    }

    /** Skips every file whose name sorts at or before {@code offset} (a file name, or "" for none). */
    @Override
    public synchronized void seek(final String offset) {
        if (offset.indexOf('/') >= 0 || offset.indexOf('\\') >= 0 || offset.startsWith(".")) {
            throw new IllegalArgumentException("directory source '" + name + "' offset='" + offset + "' is not a file name");
        }
        seekedTo = offset;
        lastTaken = offset;
    }

    private List<Path> newFiles() {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(folder)) {
            listing.filter(path -> {
                final String fileName = path.getFileName().toString();
                return !fileName.startsWith(".") && !fileName.endsWith(".tmp") && !taken.contains(fileName)
                    && fileName.compareTo(seekedTo) > 0 && nameFilter.matches(path.getFileName()) && Files.isRegularFile(path);
            }).forEach(files::add);
        } catch (final IOException ex) {
            throw new UncheckedIOException("directory source '" + name + "' cannot list folder=" + folder, ex);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        final List<Path> fresh = new ArrayList<>(files.size());
        for (final Path file : files) {
            final String fileName = file.getFileName().toString();
            if (fileName.compareTo(lastTaken) > 0) {
                fresh.add(file);
            } else {
                // Taking it now would break name order, which the offset (the last name taken) relies on.
                taken.add(fileName);
                rejectFile(file, "its name sorts before the last file taken '" + lastTaken + "' (files must arrive in name order)");
            }
        }
        return fresh;
    }

    /** The file's rows as one block, or null if it has none (or was rejected). */
    private Batch read(final SourceContext context, final Path file) {
        if (text) {
            final byte[] chunk = new byte[TEXT_CHUNK_BYTES];
            try (LineAssembler assembler = new LineAssembler(context.allocator(), maxLineBytes, 1024, rejects);
                 InputStream in = Files.newInputStream(file)) {
                assembler.beginInput(file.toString());
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    assembler.accept(chunk, 0, n);
                }
                assembler.endInput(true);
                return assembler.takeBlock();
            } catch (final IOException ex) {
                rejectFile(file, "unreadable: " + ex);
                return null;
            }
        }
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(schema)) {
                final List<Batch> batches = reader.readAll(context.allocator());
                long rows = 0;
                for (final Batch batch : batches) {
                    rows += batch.rowCount();
                    batch.release();
                }
                rejects.reject(rows, "batch file " + file + " has schema " + reader.schema() + ", expected " + schema);
                return null;
            }
            final List<Batch> batches = new ArrayList<>(reader.readAll(context.allocator()));
            final Batch block = BatchBuilder.concatAndRelease(context.allocator(), schema, batches);
            if (block.rowCount() == 0) {
                block.release();
                return null;
            }
            return block;
        } catch (final BatchFileException | UncheckedIOException ex) {
            rejectFile(file, ex.getMessage());
            return null;
        }
    }

    private void rejectFile(final Path file, final String reason) {
        rejectedFiles++;
        LOG.warn("source '{}' skipped file {}: {} (rejected files so far={})", name, file, reason, rejectedFiles);
    }

    /** The folder files are taken from. */
    public Path folder() {
        return folder;
    }

    /** Whether files are text (one {@code line} row per line) rather than Sluice batch files. */
    public boolean textLines() {
        return text;
    }

    /** The most files one batch takes ({@link Integer#MAX_VALUE}: no limit). */
    public synchronized int maxFilesPerBatch() {
        return maxFilesPerBatch;
    }

    /** The glob file names must match ({@link #glob(String)}), or null for every file. */
    public synchronized String globPattern() {
        return globPattern;
    }

    /** Files taken so far. */
    public synchronized long filesRead() {
        return filesRead;
    }

    /** Files skipped as corrupt or unreadable. */
    public synchronized long rejectedFiles() {
        return rejectedFiles;
    }

    @Override
    public void stop() {
    }

    @Override
    public long rejectedRecords() {
        return rejects.count();
    }
}
