package io.sluice.memory;

import java.util.regex.Pattern;

/**
 * Names of batch files and of the folders that hold them: one file extension for every batch file Sluice writes
 * (datasets, stream outputs, write-ahead log, snapshots), and the two folder layouts of written output.
 *
 * <pre>
 * Dataset.write(dir)                       DStream.writeBatchFiles(dir)
 *   dir/                                     dir/
 *     part-00000.sbf   partition 0             batch-&lt;t&gt;/          batch time t, committed by one rename
 *     part-00001.sbf   partition 1               part-00000.sbf    (a Dataset.write folder)
 *     ...                                        ...
 *     part-00000.sbf.attempt-&lt;n&gt;               .tmp-batch-&lt;t&gt;/     batch time t being written
 *        one write attempt, renamed onto
 *        its part file when complete
 * </pre>
 */
public final class BatchFolderDescriptor {
    /** The extension of every batch file. */
    public static final String EXTENSION = ".sbf";
    /** A committed batch time's folder under a stream output folder: {@code batch-<t>}. */
    public static final String BATCH_FOLDER_PREFIX = "batch-";
    /** A batch time's folder while it is written: {@code .tmp-batch-<t>}. */
    public static final String TEMP_BATCH_FOLDER_PREFIX = ".tmp-batch-";

    /** The extension of Arrow IPC partition files ({@code Dataset.writeArrow}), laid out like batch files. */
    public static final String ARROW_EXTENSION = ".arrow";

    private static final Pattern PART_FILE = Pattern.compile("part-\\d{5}(\\.[a-z]+)");
    private static final Pattern ATTEMPT_FILE = Pattern.compile("part-\\d{5}\\.[a-z]+\\.attempt-\\d+(\\.tmp)?");

    private BatchFolderDescriptor() {
    }

    /** The file of partition {@code partition}: {@code part-%05d.sbf}. */
    public static String partFile(final int partition) {
        return partFile(partition, EXTENSION);
    }

    /** The file of partition {@code partition} with {@code extension} (dot included): {@code part-%05d<extension>}. */
    public static String partFile(final int partition, final String extension) {
        if (partition < 0 || partition > 99_999) {
            throw new IllegalArgumentException("partition=" + partition + " out of range [0, 99999]");
        }
        return String.format("part-%05d%s", partition, extension);
    }

    /** Whether {@code fileName} names a partition file. */
    public static boolean isPartFile(final String fileName) {
        return isPartFile(fileName, EXTENSION);
    }

    /** Whether {@code fileName} names a partition file with {@code extension} (dot included). */
    public static boolean isPartFile(final String fileName, final String extension) {
        final java.util.regex.Matcher matcher = PART_FILE.matcher(fileName);
        return matcher.matches() && matcher.group(1).equals(extension);
    }

    /** The temporary name of write attempt {@code attempt} of partition file {@code partFile}. */
    public static String attemptFile(final String partFile, final long attempt) {
        return partFile + ".attempt-" + attempt;
    }

    /** Whether {@code fileName} is a write attempt's file (or its writer's temporary file), never part of the output. */
    public static boolean isAttemptFile(final String fileName) {
        return ATTEMPT_FILE.matcher(fileName).matches();
    }

    /** The committed folder of batch time {@code batchTimeMillis}. */
    public static String batchFolder(final long batchTimeMillis) {
        return BATCH_FOLDER_PREFIX + batchTimeMillis;
    }

    /** The folder batch time {@code batchTimeMillis} is written into before it is committed. */
    public static String tempBatchFolder(final long batchTimeMillis) {
        return TEMP_BATCH_FOLDER_PREFIX + batchTimeMillis;
    }
}
