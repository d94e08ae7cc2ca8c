package io.sluice.engine.stream.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Layout of a stream checkpoint folder. Every file Sluice writes is a Sluice batch file
 * ({@link io.sluice.memory.BatchFileDescriptor}: magic, version, schema, CRC32C per column, footer), written under
 * {@code .tmp}, forced to disk and renamed into place, so each file is complete or absent and any corruption is
 * detected.
 *
 * <pre>
 * &lt;checkpoint&gt;/
 *   sluice-stream.sbf             identity, written once when the folder is created; one row per input:
 *                                   format UTF8 = "sluice-stream-wal", version INT32 = 3, intervalMillis INT64,
 *                                   input INT32, name UTF8, schema UTF8 (the input schema's text form),
 *                                   checkpointId UTF8 (a random UUID drawn at creation: every file below repeats it)
 *   completed.sbf                 the newest logged batch whose jobs all finished, one row per input:
 *                                   batchTime INT64, input INT32, offset UTF8 (the source offset after it), checkpointId
 *                                   (replaced atomically after each logged batch completes; absent at first)
 *   received/
 *     &lt;batchTime %020d&gt;-&lt;input %04d&gt;.sbf    the micro-batch of one input cut at batchTime (one batch record)
 *     &lt;batchTime %020d&gt;.manifest.sbf       written after all of that batch's input files: the batch is
 *                                          logged. Rows: input INT32, name UTF8, rows INT64, offset UTF8,
 *                                          file UTF8, size INT64, crc32c INT64 (of the whole data file),
 *                                          batchTime INT64, checkpointId UTF8, previousBatchTime INT64
 *                                          (the batch logged before it, Long.MIN_VALUE if none: a chain
 *                                          that shows a logged batch deleted from the retained ones)
 *     *.tmp                               a file being written; left by a crash, deleted on open
 *   snapshot.sbf                  pointer to the newest complete snapshot: one row, batchTime INT64,
 *                                   rememberMillis INT64, operators UTF8 (checkpoint names, '\n'-separated, sorted),
 *                                   checkpointId UTF8
 *   snapshots/
 *     &lt;batchTime %020d&gt;/           a complete snapshot: the operator state as of the end of batchTime
 *       snapshot.sbf               the same row as the pointer (the folder describes itself)
 *       files.sbf                  every file the operators wrote: file UTF8 (path below the snapshot folder, '/'),
 *                                    size INT64, crc32c INT64, batchTime INT64, checkpointId UTF8
 *       &lt;checkpoint name&gt;/         what {@link Checkpointed#snapshot} of that operator wrote
 *     &lt;batchTime %020d&gt;.tmp/       a snapshot being written; left by a crash, deleted on open
 * </pre>
 *
 * <p>Life of a batch: the job generator logs it (input files, then manifest, then queues it) when it has records or
 * a replayable source's offset moved; after its jobs finish the executor replaces {@code completed.sbf}. After
 * every k-th completed batch every {@link Checkpointed} operator writes into {@code snapshots/<t>.tmp}, which is
 * forced to disk and renamed to {@code snapshots/<t>}; then the pointer is replaced, then older snapshots are
 * deleted, then the logged batches at or before {@code t - remember} (retention). With no operator registered the
 * retention base is the completed batch time instead of the snapshot time.
 *
 * <p>A new folder gets {@code received/} and {@code snapshots/} first and the identity last, so a folder holding
 * only those (empty) and the identity's temporary file is a creation a kill interrupted, and is created again.
 * On open: everything is validated before anything is written or deleted; any unexpected file, a missing or
 * different identity, a snapshot of other operators, a corrupt file, or a file whose size, CRC32C, batch time,
 * checkpoint id or row count differs from its manifest entry (a file from another folder, an older copy, two
 * swapped batch times), a listed file that is missing, a retained manifest whose previous logged batch or the
 * completed batch's manifest is missing (files deleted by hand), stops the open with a
 * {@link CheckpointException} naming the file. Then temporary files and folders, snapshots other than the
 * pointer's, batches outside retention and cuts torn by a crash (input files after the completed time without a
 * manifest) are deleted. Replay covers every batch time after {@code snapshot - remember} (or after the completed
 * time with no operators) up to the newest logged one: logged times with their data, the others empty.
 */
public final class WalDescriptor {
    public static final String FORMAT = "sluice-stream-wal";
    /** 3 added the checkpoint id and the per-file manifests; a folder of an older version is refused. */
    public static final int VERSION = 3;
    public static final String IDENTITY_FILE = "sluice-stream.sbf";
    public static final String COMPLETED_FILE = "completed.sbf";
    public static final String RECEIVED_FOLDER = "received";
    public static final String TEMP_SUFFIX = ".tmp";
    public static final String SNAPSHOT_FILE = "snapshot.sbf";
    public static final String SNAPSHOTS_FOLDER = "snapshots";
    public static final String SNAPSHOT_FILES = "files.sbf";

    public static final Schema IDENTITY_SCHEMA = Schema.of(Field.notNull("format", ColumnType.UTF8),
        Field.notNull("version", ColumnType.INT32), Field.notNull("intervalMillis", ColumnType.INT64),
        Field.notNull("input", ColumnType.INT32), Field.notNull("name", ColumnType.UTF8), Field.notNull("schema", ColumnType.UTF8),
        Field.notNull("checkpointId", ColumnType.UTF8));
    public static final Schema COMPLETED_SCHEMA = Schema.of(Field.notNull("batchTime", ColumnType.INT64),
        Field.notNull("input", ColumnType.INT32), Field.notNull("offset", ColumnType.UTF8), Field.notNull("checkpointId", ColumnType.UTF8));
    public static final Schema MANIFEST_SCHEMA = Schema.of(Field.notNull("input", ColumnType.INT32),
        Field.notNull("name", ColumnType.UTF8), Field.notNull("rows", ColumnType.INT64), Field.notNull("offset", ColumnType.UTF8),
        Field.notNull("file", ColumnType.UTF8), Field.notNull("size", ColumnType.INT64), Field.notNull("crc32c", ColumnType.INT64),
        Field.notNull("batchTime", ColumnType.INT64), Field.notNull("checkpointId", ColumnType.UTF8),
        Field.notNull("previousBatchTime", ColumnType.INT64));
    public static final Schema SNAPSHOT_SCHEMA = Schema.of(Field.notNull("batchTime", ColumnType.INT64),
        Field.notNull("rememberMillis", ColumnType.INT64), Field.notNull("operators", ColumnType.UTF8),
        Field.notNull("checkpointId", ColumnType.UTF8));
    public static final Schema SNAPSHOT_FILES_SCHEMA = Schema.of(Field.notNull("file", ColumnType.UTF8),
        Field.notNull("size", ColumnType.INT64), Field.notNull("crc32c", ColumnType.INT64), Field.notNull("batchTime", ColumnType.INT64),
        Field.notNull("checkpointId", ColumnType.UTF8));

    /**
     * How many batch intervals a restart may replay beyond the completed (or snapshot) batch time, on top of the
     * remembered duration. A logged batch time further ahead (a clock set wrong, a file from elsewhere) would stall
     * the restart replaying empty intervals, or exhaust memory planning them: the folder is refused instead.
     */
    public static final long MAX_REPLAY_AHEAD_INTERVALS = 10_000;

    private static final Pattern DATA = Pattern.compile("(\\d{20})-(\\d{4})\\.sbf");
    private static final Pattern MANIFEST = Pattern.compile("(\\d{20})\\.manifest\\.sbf");
    private static final Pattern SNAPSHOT = Pattern.compile("(\\d{20})");

    private WalDescriptor() {
    }

    public static String dataFile(final long batchTime, final int input) {
        return String.format("%020d-%04d.sbf", batchTime, input);
    }

    public static String manifestFile(final long batchTime) {
        return String.format("%020d.manifest.sbf", batchTime);
    }

    /** The folder name of the snapshot of {@code batchTime}. */
    public static String snapshotFolder(final long batchTime) {
        return String.format("%020d", batchTime);
    }

    /** The batch time of a complete snapshot folder name, or -1 if {@code name} is not one. */
    static long snapshotFolderTime(final String name) {
        final Matcher matcher = SNAPSHOT.matcher(name);
        return matcher.matches() ? time(matcher.group(1)) : -1;
    }

    /** The batch time of a data file name, or -1 if {@code name} is not one. */
    static long dataFileTime(final String name) {
        final Matcher matcher = DATA.matcher(name);
        return matcher.matches() ? time(matcher.group(1)) : -1;
    }

    /** The batch time of a manifest file name, or -1 if {@code name} is not one. */
    static long manifestFileTime(final String name) {
        final Matcher matcher = MANIFEST.matcher(name);
        return matcher.matches() ? time(matcher.group(1)) : -1;
    }

    /** 20 digits as a batch time, or -1 if they exceed {@link Long#MAX_VALUE} (no Sluice stream writes those). */
    private static long time(final String digits) {
        try {
            return Long.parseLong(digits);
        } catch (final NumberFormatException ex) {
            return -1;
        }
    }
}
