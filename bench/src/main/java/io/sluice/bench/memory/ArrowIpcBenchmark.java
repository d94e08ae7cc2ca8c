package io.sluice.bench.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sluice.bench.Baseline;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.arrow.ArrowIpcReader;
import io.sluice.memory.arrow.ArrowIpcWriter;
import io.sluice.memory.arrow.ArrowTable;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Arrow IPC write and read throughput: Sluice's own Arrow writer/reader against arrow-vector's (the baseline of each
 * family) and against Sluice's batch files, on the same 1M-row batch of five columns (BOOLEAN, INT32, INT64, FLOAT64,
 * UTF8 of 0-40 bytes; all nullable, every 7th row null). One operation writes or reads that batch whole; bytes/op
 * is {@link #payloadBytes()} (validity, offsets and values as held in memory), so GB/s = ops/s x payload / 1e9.
 *
 * <p>Files go to {@code -Dsluice.bench.arrowDir} (default {@code /dev/shm} when present, a RAM disk, so the figures
 * are the formats' CPU and memory cost, not a shared disk's). Every file write ends with a force to storage, as
 * Sluice's file writers do on close. The stream family writes to a channel that discards (pure serialisation).
 * Bounds checks stay at their defaults (on) for Sluice and arrow-vector: the configuration a user gets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g", "-XX:MaxDirectMemorySize=2g"})
public class ArrowIpcBenchmark {
    private static final String[] WORDS = {"", "a", "grüße", "日本語", "plain ascii text of some length", "0123456789abcdef"};

    @Param("1000000")
    public int rows;

    private BufferAllocator allocator;
    private RootAllocator arrow;
    private Batch batch;
    private VectorSchemaRoot root;
    private Path dir;
    private Path sluiceArrowFile;
    private Path arrowVectorFile;
    private Path batchFile;

    /** The batch's schema. */
    static Schema schema() {
        return Schema.of(Field.nullable("bool", ColumnType.BOOLEAN), Field.nullable("i32", ColumnType.INT32),
            Field.nullable("i64", ColumnType.INT64), Field.nullable("f64", ColumnType.FLOAT64), Field.nullable("s", ColumnType.UTF8));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        final String configured = System.getProperty("sluice.bench.arrowDir");
        final Path base = configured != null ? Paths.get(configured)
            : Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "sluice-arrow-bench");
        allocator = new BufferAllocator();
        arrow = new RootAllocator();
        final Schema schema = schema();
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, rows)) {
            for (int row = 0; row < rows; row++) {
                if (row % 7 == 0) {
                    for (int c = 0; c < 5; c++) {
                        builder.setNull(c);
                    }
                } else {
                    builder.setBoolean(0, row % 3 == 1).setInt32(1, row * 31).setInt64(2, row * 1_000_003L)
                        .setFloat64(3, row / 4.0).setUtf8(4, WORDS[row % WORDS.length] + (row % 3 == 0 ? "" : row));
                }
                builder.endRow();
            }
            batch = builder.build();
        }
        root = toArrowVectors(batch);
        sluiceArrowFile = dir.resolve("sluice.arrow");
        arrowVectorFile = dir.resolve("arrow-vector.arrow");
        batchFile = dir.resolve("sluice.sbf");
        writeFileSluiceArrow();
        writeFileArrowVector();
        writeFileSluiceBatchFile();
    }

    private VectorSchemaRoot toArrowVectors(final Batch source) {
        final List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
        fields.add(field("bool", ArrowType.Bool.INSTANCE));
        fields.add(field("i32", new ArrowType.Int(32, true)));
        fields.add(field("i64", new ArrowType.Int(64, true)));
        fields.add(field("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
        fields.add(field("s", ArrowType.Utf8.INSTANCE));
        final VectorSchemaRoot vectors = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), arrow);
        vectors.allocateNew();
        final BitVector bools = (BitVector) vectors.getVector(0);
        final IntVector ints = (IntVector) vectors.getVector(1);
        final BigIntVector longs = (BigIntVector) vectors.getVector(2);
        final Float8Vector doubles = (Float8Vector) vectors.getVector(3);
        final VarCharVector strings = (VarCharVector) vectors.getVector(4);
        for (int row = 0; row < source.rowCount(); row++) {
            if (source.vector(0).isNull(row)) {
                bools.setNull(row);
                ints.setNull(row);
                longs.setNull(row);
                doubles.setNull(row);
                strings.setNull(row);
            } else {
                bools.setSafe(row, source.booleanVector(0).get(row) ? 1 : 0);
                ints.setSafe(row, source.int32Vector(1).get(row));
                longs.setSafe(row, source.int64Vector(2).get(row));
                doubles.setSafe(row, source.float64Vector(3).get(row));
                strings.setSafe(row, source.utf8Vector(4).getString(row).getBytes(StandardCharsets.UTF_8));
            }
        }
        vectors.setRowCount(source.rowCount());
        return vectors;
    }

    private static org.apache.arrow.vector.types.pojo.Field field(final String name, final ArrowType type) {
        return new org.apache.arrow.vector.types.pojo.Field(name, FieldType.nullable(type), null);
    }

    /** Bytes of the batch as held in memory: validity bitmaps, BOOLEAN bits, fixed-width values, UTF8 offsets and bytes. */
    public long payloadBytes() {
        final long bitmap = (rows + 7) / 8;
        long strings = 0;
        for (int row = 0; row < rows; row++) {
            strings += batch.utf8Vector(4).length(row);
        }
        return 5 * bitmap + bitmap + 4L * rows + 8L * rows + 8L * rows + 4L * (rows + 1) + strings;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        root.close();
        arrow.close();
        batch.release();
        allocator.close();
        for (final Path file : new Path[] {sluiceArrowFile, arrowVectorFile, batchFile}) {
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(dir);
    }

    /** Discards what it is given, counting the bytes. */
    private static final class NullChannel implements WritableByteChannel {
        long bytes;

        @Override
        public int write(final ByteBuffer src) {
            final int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    // ---- write a file (forced to storage) ----------------------------------------------------------------------

    @Benchmark
    @Baseline
    public long writeFileArrowVector() throws IOException {
        try (FileChannel channel = FileChannel.open(arrowVectorFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING); ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
            writer.start();
            writer.writeBatch();
            writer.end();
            channel.force(true);
            return channel.size();
        }
    }

    @Benchmark
    public long writeFileSluiceArrow() {
        try (ArrowIpcWriter writer = ArrowIpcWriter.file(sluiceArrowFile, batch.schema())) {
            writer.write(batch);
            return writer.batchCount();
        }
    }

    @Benchmark
    public long writeFileSluiceBatchFile() {
        try (BatchFileWriter writer = BatchFileWriter.create(batchFile, batch.schema())) {
            writer.write(batch);
            return writer.batchCount();
        }
    }

    // ---- write a stream to a discarding channel ------------------------------------------------------------------

    @Benchmark
    @Baseline
    public long writeStreamArrowVector() throws IOException {
        final NullChannel channel = new NullChannel();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, channel)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        return channel.bytes;
    }

    @Benchmark
    public long writeStreamSluiceArrow() {
        final NullChannel channel = new NullChannel();
        try (ArrowIpcWriter writer = ArrowIpcWriter.stream(channel, batch.schema())) {
            writer.write(batch);
        }
        return channel.bytes;
    }

    // ---- read a file whole -------------------------------------------------------------------------------------

    @Benchmark
    @Baseline
    public long readFileArrowVector() throws IOException {
        long rowsRead = 0;
        try (FileChannel channel = FileChannel.open(arrowVectorFile, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, arrow)) {
            while (reader.loadNextBatch()) {
                rowsRead += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return rowsRead;
    }

    @Benchmark
    public long readFileSluiceArrow() {
        try (ArrowTable table = ArrowIpcReader.read(arrowVectorFile, allocator)) {
            return table.rowCount();
        }
    }

    @Benchmark
    public long readFileSluiceArrowOwnFile() {
        try (ArrowTable table = ArrowIpcReader.read(sluiceArrowFile, allocator)) {
            return table.rowCount();
        }
    }

    @Benchmark
    public long readFileSluiceBatchFile() {
        long rowsRead = 0;
        try (BatchFileReader reader = BatchFileReader.open(batchFile)) {
            for (final Batch read : reader.readAll(allocator)) {
                rowsRead += read.rowCount();
                read.release();
            }
        }
        return rowsRead;
    }
}
