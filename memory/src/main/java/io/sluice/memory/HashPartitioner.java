package io.sluice.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Splits a batch into N batches by a hash of one or more key columns (any {@link ColumnType}).
 *
 * <p>The hash is {@link Hashing#xxHash64} chained over the key columns in order, starting from a fixed seed, so a
 * row's partition is the same across runs, JVMs and machines. A row with a null in any key column goes to
 * partition 0. Partitions keep the input's row order. Immutable and thread-safe.
 */
public final class HashPartitioner {
    /** The seed of the hash chain; part of the partitioning contract, never change it. */
    public static final long SEED = 0x5EED_5100_CE00_0001L;
    /** The most rows a thread's partition scratch array is kept for (4 MiB); larger batches get a fresh array. */
    static final int MAX_SCRATCH_ROWS = 1 << 20;
    /** The calling thread's scratch arrays: the rows' partitions, the rows in partition order, one partition's rows. */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[][] {new int[0], new int[0], new int[0]});
    private static final int PARTITION_OF_ROW = 0;
    private static final int IN_PARTITION_ORDER = 1;
    private static final int ONE_PARTITION = 2;
    /** The calling thread's row hashes, as {@link #SCRATCH} (same limit). */
    private static final ThreadLocal<long[][]> HASH_SCRATCH = ThreadLocal.withInitial(() -> new long[][] {new long[0]});

    private final int partitions;
    private final List<String> keyColumns;

    /** A partitioner into {@code partitions} batches by the named key columns. */
    public HashPartitioner(final int partitions, final List<String> keyColumns) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions=" + partitions + " must be > 0");
        }
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("at least one key column is needed");
        }
        this.partitions = partitions;
        this.keyColumns = List.copyOf(keyColumns);
    }

    /** A partitioner into {@code partitions} batches by the named key columns. */
    public static HashPartitioner of(final int partitions, final String... keyColumns) {
        return new HashPartitioner(partitions, List.of(keyColumns));
    }

    public int partitions() {
        return partitions;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** The key vectors of {@code batch}, in key order; throws naming a missing column. */
    private AbstractColumnVector[] keys(final Batch batch) {
        final AbstractColumnVector[] keys = new AbstractColumnVector[keyColumns.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = batch.columnVector(batch.schema().indexOf(keyColumns.get(k)));
        }
        return keys;
    }

    /** The partition of row {@code row} of {@code batch}. */
    public int partitionOf(final Batch batch, final int row) {
        return partitionOf(keys(batch), row);
    }

    private int partitionOf(final AbstractColumnVector[] keys, final int row) {
        long hash = SEED;
        for (final AbstractColumnVector key : keys) {
            if (key.isNull(row)) {
                return 0;
            }
            hash = hash(key, row, hash);
        }
        return (int) Long.remainderUnsigned(hash, partitions);
    }

    private static long hash(final AbstractColumnVector key, final int row, final long seed) {
        switch (key.type()) {
            case BOOLEAN:
                return Hashing.xxHash64(((BooleanVector) key).get(row) ? 1 : 0, seed);
            case INT32:
                return Hashing.xxHash64(((Int32Vector) key).get(row), seed);
            case INT64:
                return Hashing.xxHash64(((Int64Vector) key).get(row), seed);
            case FLOAT64:
                // doubleToLongBits folds every NaN to one value so equal keys hash equally.
                return Hashing.xxHash64(Double.doubleToLongBits(((Float64Vector) key).get(row) + 0.0), seed); // -0.0 as 0.0
            case UTF8:
                return ((Utf8ColumnVector) key).hash(row, seed);
            default:
                throw new IllegalArgumentException("unsupported key type=" + key.type());
        }
    }

    /**
     * An array of at least {@code rows} ints in scratch slot {@code slot}: the calling thread's own, reused from batch to
     * batch (kept up to {@value #MAX_SCRATCH_ROWS} rows), so partitioning allocates nothing per row.
     */
    private static int[] partitionScratch(final int slot, final int rows) {
        final int[][] held = SCRATCH.get();
        if (held[slot].length >= rows) {
            return held[slot];
        }
        final int[] rowsArray = new int[rows];
        if (rows <= MAX_SCRATCH_ROWS) {
            held[slot] = rowsArray;
        }
        return rowsArray;
    }

    /** An array of at least {@code rows} longs for the rows' hashes, as {@link #partitionScratch}. */
    private static long[] hashScratch(final int rows) {
        final long[][] held = HASH_SCRATCH.get();
        if (held[0].length >= rows) {
            return held[0];
        }
        final long[] hashes = new long[rows];
        if (rows <= MAX_SCRATCH_ROWS) {
            held[0] = hashes;
        }
        return hashes;
    }

    /**
     * The partition of every row of {@code keys} into {@code out[0, rows)}, as {@link #partitionOf} computes it. Keys
     * without nulls are hashed a column at a time (one type test per column, not per row and key); with a nullable
     * key column, row by row.
     */
    private void partitionsOf(final AbstractColumnVector[] keys, final int rows, final int[] out) {
        for (final AbstractColumnVector key : keys) {
            if (key.column.validity != null) {
                for (int row = 0; row < rows; row++) {
                    out[row] = partitionOf(keys, row);
                }
                return;
            }
        }
        final long[] hashes = hashScratch(rows);
        Arrays.fill(hashes, 0, rows, SEED);
        for (final AbstractColumnVector key : keys) {
            hashColumn(key, rows, hashes);
        }
        if ((partitions & (partitions - 1)) == 0) {
            // remainderUnsigned by a power of two: the low bits
            final long mask = partitions - 1;
            for (int row = 0; row < rows; row++) {
                out[row] = (int) (hashes[row] & mask);
            }
        } else {
            for (int row = 0; row < rows; row++) {
                out[row] = (int) Long.remainderUnsigned(hashes[row], partitions);
            }
        }
    }

    /** Chains key column {@code key} (no nulls) into {@code hashes[0, rows)}, as {@link #hash} does row by row. */
    private static void hashColumn(final AbstractColumnVector key, final int rows, final long[] hashes) {
        switch (key.type()) {
            case INT64: {
                final Int64Vector values = (Int64Vector) key;
                for (int row = 0; row < rows; row++) {
                    hashes[row] = Hashing.xxHash64(values.get(row), hashes[row]);
                }
                break;
            }
            case INT32: {
                final Int32Vector values = (Int32Vector) key;
                for (int row = 0; row < rows; row++) {
                    hashes[row] = Hashing.xxHash64(values.get(row), hashes[row]);
                }
                break;
            }
            case UTF8: {
                final Utf8ColumnVector values = (Utf8ColumnVector) key;
                for (int row = 0; row < rows; row++) {
                    hashes[row] = values.hash(row, hashes[row]);
                }
                break;
            }
            default:
                for (int row = 0; row < rows; row++) {
                    hashes[row] = hash(key, row, hashes[row]);
                }
        }
    }

    /**
     * Splits {@code batch} into {@link #partitions()} new batches allocated from {@code allocator} (some may be
     * empty). The input is not released; the caller owns the result and must release every batch.
     *
     * <p>The rows' partitions are computed first ({@link #partitionsOf}), then each partition's row numbers in order,
     * and each column is gathered into each partition in one typed loop ({@link BatchBuilder#appendGathered}), not
     * copied value by value.
     */
    public List<Batch> partition(final Batch batch, final BufferAllocator allocator) {
        final AbstractColumnVector[] keys = keys(batch);
        final int rows = batch.rowCount();
        final int[] partitionOfRow = partitionScratch(PARTITION_OF_ROW, rows);
        partitionsOf(keys, rows, partitionOfRow);
        final int[] counts = new int[partitions];
        for (int row = 0; row < rows; row++) {
            counts[partitionOfRow[row]]++;
        }
        // The rows in partition order (a counting sort, stable), then each partition's run copied to the front of one
        // array for the gathers: thread scratch, so nothing is allocated per row.
        final int[] next = new int[partitions];
        int largest = 0;
        for (int p = 1; p < partitions; p++) {
            next[p] = next[p - 1] + counts[p - 1];
        }
        for (int p = 0; p < partitions; p++) {
            largest = Math.max(largest, counts[p]);
        }
        final int[] ordered = partitionScratch(IN_PARTITION_ORDER, rows);
        for (int row = 0; row < rows; row++) {
            ordered[next[partitionOfRow[row]]++] = row;
        }
        final int[] rowsOfPartition = partitionScratch(ONE_PARTITION, largest);
        final BatchBuilder[] builders = new BatchBuilder[partitions];
        final List<Batch> result = new ArrayList<>(partitions);
        try {
            for (int p = 0; p < partitions; p++) {
                builders[p] = new BatchBuilder(allocator, batch.schema(), counts[p]);
                System.arraycopy(ordered, next[p] - counts[p], rowsOfPartition, 0, counts[p]);
                for (int c = 0; c < batch.columnCount(); c++) {
                    builders[p].appendGathered(c, batch.vector(c), rowsOfPartition, counts[p]);
                }
            }
            for (final BatchBuilder builder : builders) {
                result.add(builder.build());
            }
            return Collections.unmodifiableList(result);
        } catch (final RuntimeException ex) {
            for (final Batch built : result) {
                built.release();
            }
            throw ex;
        } finally {
            for (final BatchBuilder builder : builders) {
                if (builder != null) {
                    builder.close();
                }
            }
        }
    }
}
