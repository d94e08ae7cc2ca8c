package io.sluice.memory;

import java.util.List;

/**
 * An immutable columnar batch: a schema, one vector per field and a row count, in off-heap memory.
 *
 * <p>Reference counted, starting at one: {@link #retain()} adds a holder, {@link #release()} (or {@link #close()},
 * for try-with-resources) drops one, and the last release frees the buffers. A {@link #slice(int, int)} shares the
 * parent's buffers without copying and keeps the parent retained until the slice itself is released;
 * {@link #share(Schema, Batch[], int[])} assembles a batch from other batches' columns, each buffer reference
 * counted so that it is freed when its last holder releases. With bounds
 * checks on, any read after release, a double release, and a row past the row count throw. Safe to read from many
 * threads; retain/release are thread-safe.
 *
 * <p>Threads: a thread reading a batch must hold a reference to it (its own {@link #retain()}, or one its caller
 * holds for it until the read is over); releasing a batch another thread still reads is a use-after-free the
 * checks can only catch at each access. Whole-column scans ({@link Int64Vector#sum()}) take their own reference
 * while bounds checks are on, so a scan racing the last release either finishes on live memory or throws
 * {@link IllegalStateException}, never reads freed memory. Raw views ({@code dataBuffer()}) are the caller's to
 * guard.
 */
public final class Batch implements AutoCloseable {
    private final Schema schema;
    private final int rowCount;
    private final AbstractColumnVector[] vectors;
    private final RefCount refs;
    private final ColumnData[] owned;
    private final Batch parent;
    /** Where a slice starts in its parent; -1 for a batch that owns its columns. */
    private final int sliceFrom;

    /** A sealed batch owning {@code columns}' buffers; the caller hands over its references. */
    Batch(final Schema schema, final int rowCount, final ColumnData[] columns) {
        this(schema, rowCount, columns, new int[columns.length]);
    }

    /** A batch owning {@code columns}' references, its row 0 at row {@code rowOffsets[c]} of column c's buffers. */
    Batch(final Schema schema, final int rowCount, final ColumnData[] columns, final int[] rowOffsets) {
        this.schema = schema;
        this.rowCount = rowCount;
        this.refs = new RefCount(this);
        this.sliceFrom = -1;
        this.owned = columns;
        this.parent = null;
        this.vectors = new AbstractColumnVector[columns.length];
        for (int i = 0; i < columns.length; i++) {
            vectors[i] = AbstractColumnVector.create(columns[i], this, rowOffsets[i], rowCount);
        }
    }

    /**
     * A batch made of other batches' columns without copying them: its column {@code c} is column
     * {@code columns[c]} of {@code sources[c]}, under {@code schema}'s field {@code c} (same type and nullability as
     * that column; the name may differ). Every source must be live and have the same row count, at least one.
     *
     * <p>The buffers are reference counted: each shared buffer gets one more reference, which this batch's last
     * release drops, so the sources and this batch may be released in any order and the memory is freed when the
     * last holder lets go. The new batch has its own reference count of one; reading it after its release, or
     * releasing it twice, throws like any batch. {@link #allocatedBytes()} counts the shared buffers in full.
     */
    public static Batch share(final Schema schema, final Batch[] sources, final int[] columns) {
        return share(schema, sources, columns, null);
    }

    /**
     * As {@link #share(Schema, Batch[], int[])}, but a nullable field may also take a not-null column (a rename that
     * widens the nullability): its data and offsets are shared and its validity is a new all-valid bitmap from
     * {@code allocator} (one bit per row up to the column's window end, owned by the new batch), so it reads as
     * never null. The other fields must match their columns' nullability as there.
     */
    public static Batch share(final Schema schema, final Batch[] sources, final int[] columns, final BufferAllocator allocator) {
        final int fields = schema.fieldCount();
        if (fields == 0 || sources.length != fields || columns.length != fields) {
            throw new IllegalArgumentException("share: fieldCount=" + fields + " sources=" + sources.length + " columns="
                + columns.length + ": one source column per field, at least one");
        }
        final int rows = sources[0].rowCount();
        final AbstractColumnVector[] from = new AbstractColumnVector[fields];
        for (int c = 0; c < fields; c++) {
            final Batch source = sources[c];
            source.refs.checkLive();
            if (source.rowCount != rows) {
                throw new IllegalArgumentException("share: source of field " + c + " has rowCount=" + source.rowCount
                    + ", source of field 0 has " + rows);
            }
            if (columns[c] < 0 || columns[c] >= source.vectors.length) {
                throw new IndexOutOfBoundsException("share: column index=" + columns[c] + " for field " + c
                    + " out of range [0, " + source.vectors.length + ")");
            }
            from[c] = source.vectors[columns[c]];
        }
        final ColumnData[] shared = new ColumnData[fields];
        final int[] rowOffsets = new int[fields];
        int done = 0;
        try {
            for (; done < fields; done++) {
                final AbstractColumnVector vector = from[done];
                final Field as = schema.field(done);
                rowOffsets[done] = vector.rowOffset;
                if (allocator != null && as.isNullable() && !vector.column.field.isNullable()) {
                    shared[done] = vector.column.shareAsNullable(as, allValid(allocator, vector.rowOffset + rows));
                } else {
                    shared[done] = vector.column.share(as);
                }
            }
        } finally {
            if (done < fields) {
                for (int c = 0; c < done; c++) {
                    shared[c].release();
                }
            }
        }
        return new Batch(schema, rows, shared, rowOffsets);
    }

    /** A validity bitmap of {@code rows} set bits (every row present). */
    private static OffHeapBuffer allValid(final BufferAllocator allocator, final int rows) {
        final int length = (int) BatchFileDescriptor.bitmapLength(rows);
        final OffHeapBuffer bits = allocator.allocateUnzeroed(length);
        BitRuns.setWholeBytes(bits.unsafeView(), rows);
        return bits;
    }

    private Batch(final Batch parent, final int from, final int to) {
        this.schema = parent.schema;
        this.rowCount = to - from;
        this.refs = new RefCount(this);
        this.sliceFrom = from;
        this.owned = null;
        this.parent = parent;
        this.vectors = new AbstractColumnVector[parent.vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = parent.vectors[i].slice(this, from, rowCount);
        }
    }

    public Schema schema() {
        return schema;
    }

    public int rowCount() {
        return rowCount;
    }

    public int columnCount() {
        return vectors.length;
    }

    /** The vector of column {@code index}. */
    public ColumnVector vector(final int index) {
        refs.checkLive();
        if (index < 0 || index >= vectors.length) {
            throw new IndexOutOfBoundsException("column index=" + index + " out of range [0, " + vectors.length + ")");
        }
        return vectors[index];
    }

    /** The vector of the column named {@code name}. */
    public ColumnVector vector(final String name) {
        return vector(schema.indexOf(name));
    }

    public BooleanVector booleanVector(final int index) {
        return (BooleanVector) typed(index, ColumnType.BOOLEAN);
    }

    public Int32Vector int32Vector(final int index) {
        return (Int32Vector) typed(index, ColumnType.INT32);
    }

    public Int64Vector int64Vector(final int index) {
        return (Int64Vector) typed(index, ColumnType.INT64);
    }

    public Float64Vector float64Vector(final int index) {
        return (Float64Vector) typed(index, ColumnType.FLOAT64);
    }

    public Utf8Vector utf8Vector(final int index) {
        return (Utf8Vector) typed(index, ColumnType.UTF8);
    }

    private ColumnVector typed(final int index, final ColumnType expected) {
        final ColumnVector vector = vector(index);
        if (vector.type() != expected) {
            throw new IllegalArgumentException("column '" + vector.field().name() + "' index=" + index + " has type="
                + vector.type() + ", not " + expected);
        }
        return vector;
    }

    /**
     * A zero-copy view of rows {@code [from, to)} with its own reference count of one; it retains this batch until
     * the slice is released.
     */
    public Batch slice(final int from, final int to) {
        refs.checkLive();
        if (from < 0 || to < from || to > rowCount) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") out of range [0, " + rowCount + "]");
        }
        retain();
        return new Batch(this, from, to);
    }

    /** Adds a holder; throws {@link IllegalStateException} if already released. */
    public Batch retain() {
        refs.retain();
        return this;
    }

    /** Drops a holder; the last release frees the buffers (or, for a slice, releases its parent). */
    public void release() {
        if (refs.release()) {
            if (parent != null) {
                parent.release();
            } else {
                for (final ColumnData column : owned) {
                    column.release();
                }
            }
        }
    }

    /** Same as {@link #release()}, for try-with-resources. */
    @Override
    public void close() {
        release();
    }

    public int refCount() {
        return refs.get();
    }

    public boolean isReleased() {
        return refs.isReleased();
    }

    /** Whether this batch is a slice sharing another batch's buffers. */
    public boolean isSlice() {
        return parent != null;
    }

    /** Throws {@link IllegalStateException} if this batch was released; vectors call it before touching memory. */
    void checkLive() {
        refs.checkLive();
    }

    /** {@link #checkLive()} with a plain read, which a loop over a vector can hoist (see {@link RefCount}). */
    void checkLivePlain() {
        refs.checkLivePlain();
    }

    /**
     * The payload bytes of this batch: values, offsets and validity bitmaps (not allocator rounding). Linear in the
     * rows of UTF8 columns, constant otherwise.
     */
    public long payloadBytes() {
        refs.checkLive();
        long bytes = 0;
        for (int c = 0; c < vectors.length; c++) {
            final Field field = schema.field(c);
            if (field.isNullable()) {
                bytes += (rowCount + 7L) >>> 3;
            }
            final ColumnType type = field.type();
            if (type == ColumnType.UTF8) {
                final Utf8Vector vector = utf8Vector(c);
                bytes += (rowCount + 1L) * Integer.BYTES;
                for (int row = 0; row < rowCount; row++) {
                    bytes += vector.length(row);
                }
            } else if (type == ColumnType.BOOLEAN) {
                bytes += (rowCount + 7L) >>> 3;
            } else {
                bytes += (long) rowCount * type.byteWidth();
            }
        }
        return bytes;
    }

    /**
     * The off-heap bytes this batch keeps allocated: the capacity of every buffer it holds (for a slice, its
     * parent's, which it keeps alive). At least {@link #payloadBytes()}; what a memory budget must count, as a builder
     * reserves room for rows it may never get.
     */
    public long allocatedBytes() {
        refs.checkLive();
        if (parent != null) {
            return parent.allocatedBytes();
        }
        long bytes = 0;
        for (final ColumnData column : owned) {
            bytes += column.allocatedBytes();
        }
        return bytes;
    }

    /** Releases every non-null batch, even if one release throws (the first failure is rethrown). */
    public static void releaseAll(final Batch... batches) {
        RuntimeException first = null;
        for (final Batch batch : batches) {
            if (batch != null) {
                try {
                    batch.release();
                } catch (final RuntimeException ex) {
                    if (first == null) {
                        first = ex;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** {@link #releaseAll(Batch...)} over a list. */
    public static void releaseAll(final List<Batch> batches) {
        releaseAll(batches.toArray(new Batch[0]));
    }

    /**
     * Runs {@code step} while the caller holds {@code batches}: if it throws, releases them (what a release throws is
     * attached to the failure as suppressed) and rethrows, so a failed step leaks none of them.
     */
    public static void releaseAllIfThrows(final List<Batch> batches, final Runnable step) {
        try {
            step.run();
        } catch (final RuntimeException | Error ex) {
            try {
                releaseAll(batches);
            } catch (final RuntimeException suppressed) {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
    }

    /** Package access for writers that copy raw buffers: the vector implementation of column {@code index}. */
    AbstractColumnVector columnVector(final int index) {
        refs.checkLive();
        return vectors[index];
    }

    @Override
    public String toString() {
        return "Batch[rows=" + rowCount + " schema=" + schema + " refCount=" + refs.get() + "]"
            + (parent == null ? "" : " slice from row " + sliceFrom + " of " + parent);
    }
}
