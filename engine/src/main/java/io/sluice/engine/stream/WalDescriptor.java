package io.sluice.engine.stream;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Layout of a stream checkpoint folder. Every file is a Sluice batch file ({@link io.sluice.memory.BatchFileDescriptor}:
 * magic, version, schema, CRC32C per column, footer), written under {@code .tmp} and renamed into place, so each
 * file is complete or absent and any corruption is detected.
 *
 * <pre>
 * &lt;checkpoint&gt;/
 *   sluice-stream.slcb            identity, written once when the folder is created; one row per input:
 *                                   format UTF8 = "sluice-stream-wal", version INT32 = 1, intervalMillis INT64,
 *                                   input INT32, name UTF8, schema UTF8 (the input schema's text form)
 *   completed.slcb                the newest batch whose jobs all finished: one row, batchTime INT64
 *                                   (replaced atomically after each logged batch completes; absent at first)
 *   received/
 *     &lt;batchTime %020d&gt;-&lt;input %04d&gt;.slcb   the micro-batch of one input cut at batchTime (one batch record)
 *     &lt;batchTime %020d&gt;.manifest.slcb      written after all of that batch's input files: the batch is
 *                                          received. Rows: input INT32, name UTF8, rows INT64
 *     *.tmp                               a file being written; left by a crash, deleted on open
 * </pre>
 *
 * <p>Life of a batch with records: the job generator writes its input files, then its manifest, then queues it;
 * after its jobs finish the executor replaces {@code completed.slcb} and deletes the batch's files. Empty batches
 * are not logged. On open: a batch at or before the completed time is finished (leftover files are deleted); a
 * batch after it with a manifest is replayed, before new input; input files after it without a manifest are a
 * cut torn by a crash, never handed to a job, and are deleted with a warning. Any other file, a missing or
 * different identity, or a corrupt file stops the open with a {@link CheckpointException}; nothing is written.
 */
public final class WalDescriptor {
    public static final String FORMAT = "sluice-stream-wal";
    public static final int VERSION = 1;
    public static final String IDENTITY_FILE = "sluice-stream.slcb";
    public static final String COMPLETED_FILE = "completed.slcb";
    public static final String RECEIVED_FOLDER = "received";
    public static final String TEMP_SUFFIX = ".tmp";

    public static final Schema IDENTITY_SCHEMA = Schema.of(Field.notNull("format", ColumnType.UTF8),
        Field.notNull("version", ColumnType.INT32), Field.notNull("intervalMillis", ColumnType.INT64),
        Field.notNull("input", ColumnType.INT32), Field.notNull("name", ColumnType.UTF8), Field.notNull("schema", ColumnType.UTF8));
    public static final Schema COMPLETED_SCHEMA = Schema.of(Field.notNull("batchTime", ColumnType.INT64));
    public static final Schema MANIFEST_SCHEMA = Schema.of(Field.notNull("input", ColumnType.INT32),
        Field.notNull("name", ColumnType.UTF8), Field.notNull("rows", ColumnType.INT64));

    private static final Pattern DATA = Pattern.compile("(\\d{20})-(\\d{4})\\.slcb");
    private static final Pattern MANIFEST = Pattern.compile("(\\d{20})\\.manifest\\.slcb");

    private WalDescriptor() {
    }

    public static String dataFile(final long batchTime, final int input) {
        return String.format("%020d-%04d.slcb", batchTime, input);
    }

    public static String manifestFile(final long batchTime) {
        return String.format("%020d.manifest.slcb", batchTime);
    }

    /** The batch time of a data file name, or -1 if {@code name} is not one. */
    static long dataFileTime(final String name) {
        final Matcher matcher = DATA.matcher(name);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** The batch time of a manifest file name, or -1 if {@code name} is not one. */
    static long manifestFileTime(final String name) {
        final Matcher matcher = MANIFEST.matcher(name);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
