package io.sluice.spark;

import java.io.Serializable;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.unsafe.types.UTF8String;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamClock;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;

/**
 * A Sluice {@link GeneratorSource} as a Spark Structured Streaming source (DataSource V2 {@link MicroBatchStream}):
 * the offset is the generator's own, the index of the next row, so a query restarted on its checkpoint asks for the
 * rows after the committed offset and gets the same rows again (row i's values depend only on the seed and i).
 * Micro-batches end where Sluice's batch times end: the k-th batch interval holds the rows up to
 * {@code floor(rate * k * interval / 1000)}, so under {@code Trigger.AvailableNow} (which needs a
 * {@link GeneratorSource.Builder#recordLimit}) each Spark micro-batch holds exactly the rows of one Sluice micro-batch
 * of a run whose clock starts at 0; under a processing-time trigger a micro-batch takes every whole interval due by
 * the wall clock since the query started. The rows are made on the driver by the source object itself (it is not
 * serializable) and shipped in the micro-batch's one input partition: a generator feeds tests and benchmarks, not
 * cluster-sized input. A source object feeds one query run: give a restarted query a new {@link GeneratorSource}.
 */
public final class GeneratorStream implements TableProvider {
    /** The option naming the registered source. */
    static final String ID = "sluice.generator";
    /**
     * Sources translated in this JVM, by id; weakly held: the streaming DataFrame's table holds its registration from
     * {@code load()} on, so an entry whose DataFrame was dropped unstarted goes away (pruned at the next translation).
     */
    private static final Map<String, WeakReference<Registration>> SOURCES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong();

    /** A source waiting for the query that reads it, with its graph's batch interval. */
    private record Registration(GeneratorSource source, long intervalMillis, AtomicBoolean claimed) {
    }

    /** For Spark's reflective instantiation only ({@code format(GeneratorStream.class.getName())}). */
    public GeneratorStream() {
    }

    /** The streaming DataFrame of {@code source}'s rows, cut into micro-batches of {@code intervalMillis}. */
    static org.apache.spark.sql.Dataset<Row> read(final SparkSession spark, final GeneratorSource source,
                                                  final long intervalMillis) {
        final String id = source.name() + "-" + NEXT_ID.incrementAndGet();
        SOURCES.values().removeIf(ref -> ref.get() == null);
        final Registration registration = new Registration(source, intervalMillis, new AtomicBoolean());
        SOURCES.put(id, new WeakReference<>(registration));
        try {
            return spark.readStream().format(GeneratorStream.class.getName()).option(ID, id).load();
        } finally {
            Reference.reachabilityFence(registration);
        }
    }

    private static Registration registration(final Map<String, String> options) {
        final String id = options.get(ID);
        final WeakReference<Registration> ref = id == null ? null : SOURCES.get(id);
        final Registration r = ref == null ? null : ref.get();
        if (r == null) {
            throw new IllegalArgumentException("no Sluice generator source registered as " + ID + "='" + id
                + "': translate the DStream graph with SparkBackend in this JVM");
        }
        return r;
    }

    @Override
    public StructType inferSchema(final CaseInsensitiveStringMap options) {
        return SparkTypes.of(registration(options).source().schema());
    }

    @Override
    public Table getTable(final StructType schema, final Transform[] partitioning, final Map<String, String> properties) {
        final String id = properties.get(ID);
        return new GeneratorTable(id, registration(properties), schema);
    }

    /** The table behind the streaming relation: micro-batch reads only. */
    private static final class GeneratorTable implements Table, SupportsRead {
        private final String id;
        private final Registration registration;
        private final StructType schema;

        GeneratorTable(final String id, final Registration registration, final StructType schema) {
            this.id = id;
            this.registration = registration;
            this.schema = schema;
        }

        @Override
        public String name() {
            return "sluice-generator(" + registration.source().name() + ")";
        }

        @Override
        public org.apache.spark.sql.connector.catalog.Column[] columns() {
            final org.apache.spark.sql.connector.catalog.Column[] out = new org.apache.spark.sql.connector.catalog.Column[schema.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = org.apache.spark.sql.connector.catalog.Column.create(schema.fields()[i].name(),
                    schema.fields()[i].dataType(), schema.fields()[i].nullable());
            }
            return out;
        }

        @Override
        public Set<TableCapability> capabilities() {
            return Set.of(TableCapability.MICRO_BATCH_READ);
        }

        @Override
        public ScanBuilder newScanBuilder(final CaseInsensitiveStringMap options) {
            return () -> new Scan() {
                @Override
                public StructType readSchema() {
                    return schema;
                }

                @Override
                public MicroBatchStream toMicroBatchStream(final String checkpointLocation) {
                    if (!registration.claimed().compareAndSet(false, true)) {
                        throw new IllegalStateException("generator source '" + registration.source().name() + "' already"
                            + " feeds a query: a GeneratorSource object feeds one query run; translate the graph again"
                            + " with a new GeneratorSource for another run");
                    }
                    SOURCES.remove(id);
                    return new GeneratorMicroBatches(registration.source(), registration.intervalMillis(), schema);
                }
            };
        }
    }

    /** The offset: the index of the next row. */
    static final class RowOffset extends Offset {
        private final long row;

        RowOffset(final long row) {
            this.row = row;
        }

        long row() {
            return row;
        }

        @Override
        public String json() {
            return Long.toString(row);
        }
    }

    /** The micro-batches of one query run; driver side. */
    private static final class GeneratorMicroBatches implements MicroBatchStream, SupportsTriggerAvailableNow {
        private final GeneratorSource source;
        private final long intervalMillis;
        private final StructType schema;
        private final Capture context = new Capture();
        private boolean started;
        private long next;
        private long producedSinceStart;
        private boolean availableNow;
        private long wallStartNanos;
        private long wallStartRow = -1;
        private RowOffset lastStart;
        private RowOffset lastEnd;
        private InputPartition[] lastPartitions;

        GeneratorMicroBatches(final GeneratorSource source, final long intervalMillis, final StructType schema) {
            this.source = source;
            this.intervalMillis = intervalMillis;
            this.schema = schema;
        }

        @Override
        public Offset initialOffset() {
            return new RowOffset(0);
        }

        @Override
        public Offset deserializeOffset(final String json) {
            try {
                return new RowOffset(Long.parseLong(json.strip()));
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("generator source '" + source.name() + "': offset '" + json
                    + "' in the checkpoint is not a row index", ex);
            }
        }

        @Override
        public void prepareForTriggerAvailableNow() {
            if (source.recordLimit() == Long.MAX_VALUE) {
                throw new UnsupportedOperationException("generator source '" + source.name() + "' has no recordLimit, so"
                    + " Trigger.AvailableNow would never end: set GeneratorSource.Builder.recordLimit or use a"
                    + " processing-time trigger");
            }
            availableNow = true;
        }

        /** The row index where the k-th batch interval ends: Sluice's due count at batch time k * interval from 0. */
        private long boundary(final long k) {
            final double due = Math.floor(source.rate() * Math.max(0, k * intervalMillis * 1_000_000L) / 1e9);
            return Math.min(source.recordLimit(), (long) due);
        }

        /** The first interval end after row {@code row}, or {@code row} if no row comes after it. */
        private long boundaryAfter(final long row) {
            if (row >= source.recordLimit() || !(source.rate() > 0)) {
                return row;
            }
            long k = Math.max(0, (long) Math.floor(row * 1000.0 / (source.rate() * intervalMillis)) - 1);
            while (boundary(k) <= row) {
                k++;
            }
            return boundary(k);
        }

        @Override
        public Offset latestOffset() {
            throw new IllegalStateException("generator source '" + source.name() + "': Spark asks latestOffset(start, limit)"
                + " of a source with admission control");
        }

        @Override
        public ReadLimit getDefaultReadLimit() {
            return ReadLimit.allAvailable();
        }

        @Override
        public Offset latestOffset(final Offset startOffset, final ReadLimit limit) {
            final long start = ((RowOffset) startOffset).row();
            if (availableNow) {
                return new RowOffset(boundaryAfter(start));
            }
            final long now = System.nanoTime();
            if (wallStartRow < 0) {
                wallStartRow = start;
                wallStartNanos = now;
            }
            final long due = Math.min(source.recordLimit(),
                wallStartRow + (long) Math.floor(source.rate() * (now - wallStartNanos) / 1e9));
            long end = start;
            for (long b = boundaryAfter(start); b <= due && b > end; b = boundaryAfter(b)) {
                end = b;
            }
            return new RowOffset(end);
        }

        @Override
        public InputPartition[] planInputPartitions(final Offset startOffset, final Offset endOffset) {
            final RowOffset start = (RowOffset) startOffset;
            final RowOffset end = (RowOffset) endOffset;
            if (start.equals(lastStart) && end.equals(lastEnd)) {
                return lastPartitions;
            }
            final ArrayList<Object[]> rows = generate(start.row(), end.row());
            lastStart = start;
            lastEnd = end;
            lastPartitions = new InputPartition[] {new RowsPartition(rows)};
            return lastPartitions;
        }

        /** Rows [from, to) of the generator, made by the source itself. */
        private ArrayList<Object[]> generate(final long from, final long to) {
            if (!started) {
                source.seek(Long.toString(from));
                source.start(context);
                started = true;
                next = from;
            }
            if (from != next) {
                throw new IllegalStateException("generator source '" + source.name() + "': Spark asks for rows from "
                    + from + " but the source continues at row " + next + " (a started generator cannot go back)");
            }
            final long wanted = to - from;
            context.allowance = wanted;
            // Due by then: every row up to 'to' (poll produces at most the allowance).
            final long nanos = (long) Math.ceil((producedSinceStart + wanted) * 1e9 / source.rate()) + 1_000_000_000L;
            source.poll(context, nanos);
            final List<Row> made = new ArrayList<>();
            try {
                for (final Batch block : context.blocks) {
                    BatchPartitions.addRows(block, made);
                }
            } finally {
                Batch.releaseAll(context.blocks);
                context.blocks.clear();
            }
            if (made.size() != wanted) {
                throw new IllegalStateException("generator source '" + source.name() + "' made " + made.size()
                    + " rows for offsets [" + from + ", " + to + "), expected " + wanted);
            }
            final ArrayList<Object[]> rows = new ArrayList<>(made.size());
            for (final Row r : made) {
                rows.add(SparkTypes.toSluice(r));
            }
            next = to;
            producedSinceStart += wanted;
            return rows;
        }

        @Override
        public PartitionReaderFactory createReaderFactory() {
            return new RowsReaderFactory();
        }

        @Override
        public void commit(final Offset end) {
            // Nothing to trim: the rows of a micro-batch exist only in its partition.
        }

        @Override
        public void stop() {
            source.stop();
            context.allocator.close();
        }

        @Override
        public String toString() {
            return "sluice-generator(" + source.name() + ", schema=" + schema.simpleString() + ")";
        }
    }

    /** What the generator sees while it makes a micro-batch's rows: room for exactly those rows, blocks kept here. */
    private static final class Capture implements SourceContext {
        private final BufferAllocator allocator = new BufferAllocator();
        private final ManualStreamClock clock = new ManualStreamClock(0);
        private final List<Batch> blocks = new ArrayList<>();
        private long allowance;

        @Override
        public BufferAllocator allocator() {
            return allocator;
        }

        @Override
        public StreamClock clock() {
            return clock;
        }

        @Override
        public long recordAllowance() {
            return allowance;
        }

        @Override
        public boolean tryStore(final Batch block) {
            blocks.add(block);
            return true;
        }

        @Override
        public boolean store(final Batch block) {
            return tryStore(block);
        }

        @Override
        public long budgetRoomBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean isStopping() {
            return false;
        }

        @Override
        public void reportError(final String what, final Throwable error) {
            throw new IllegalStateException("generator source failed in " + what, error);
        }

        @Override
        public void fail(final Throwable error) {
            throw new IllegalStateException("generator source failed", error);
        }
    }

    /** One micro-batch's rows, boxed as Sluice's. */
    private record RowsPartition(ArrayList<Object[]> rows) implements InputPartition, Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Reads a {@link RowsPartition} in the task. */
    private static final class RowsReaderFactory implements PartitionReaderFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public PartitionReader<InternalRow> createReader(final InputPartition partition) {
            final List<Object[]> rows = ((RowsPartition) partition).rows();
            return new PartitionReader<>() {
                private int index = -1;

                @Override
                public boolean next() {
                    index++;
                    return index < rows.size();
                }

                @Override
                public InternalRow get() {
                    final Object[] row = rows.get(index);
                    final Object[] values = new Object[row.length];
                    for (int c = 0; c < row.length; c++) {
                        values[c] = row[c] instanceof String ? UTF8String.fromString((String) row[c]) : row[c];
                    }
                    return new GenericInternalRow(values);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
