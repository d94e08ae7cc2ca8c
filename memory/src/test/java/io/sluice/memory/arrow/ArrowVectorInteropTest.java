package io.sluice.memory.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Batches;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through Arrow's own Java reader and writer (arrow-vector), both directions, both formats. */
class ArrowVectorInteropTest {
    private final BufferAllocator allocator = new BufferAllocator();
    private final RootAllocator arrow = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void closeAllocatorsWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
        assertEquals(0, arrow.getAllocatedMemory(), "arrow bytes outstanding");
        arrow.close();
    }

    /** The batches every direction is checked on: both nullabilities at 0, 1, 1M rows, a slice, and big strings. */
    private List<Batch> cases(final boolean nulls) {
        final List<Batch> batches = new ArrayList<>();
        batches.add(Batches.sample(allocator, 0, nulls));
        batches.add(Batches.sample(allocator, 1, nulls));
        final Batch million = Batches.sample(allocator, 1_000_000, nulls);
        batches.add(million);
        batches.add(million.slice(999_989, 1_000_000));
        return batches;
    }

    private Batch bigStrings() {
        final Schema schema = Schema.of(Field.nullable("s", ColumnType.UTF8), Field.notNull("i", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            builder.setUtf8(0, "é".repeat(1 << 19)).setInt64(1, 1).endRow();
            builder.setUtf8(0, "x".repeat(1 << 20)).setInt64(1, 2).endRow();
            builder.setNull(0).setInt64(1, 3).endRow();
            builder.setUtf8(0, "日本語 \uD83D\uDE00 grüße").setInt64(1, 4).endRow();
            return builder.build();
        }
    }

    private static void releaseAll(final List<Batch> batches) {
        for (final Batch batch : batches) {
            batch.release();
        }
    }

    private static Object arrowValue(final FieldVector vector, final int row) {
        final Object value = vector.getObject(row);
        return value instanceof Text ? value.toString() : value;
    }

    private static void assertSame(final Batch expected, final VectorSchemaRoot root) {
        assertEquals(expected.rowCount(), root.getRowCount());
        for (int c = 0; c < expected.columnCount(); c++) {
            final Field field = expected.schema().field(c);
            final FieldVector vector = root.getVector(c);
            assertEquals(field.name(), vector.getField().getName());
            assertEquals(field.isNullable(), vector.getField().isNullable());
            for (int row = 0; row < expected.rowCount(); row++) {
                assertEquals(expected.vector(c).getObject(row), arrowValue(vector, row), field.name() + " row " + row);
            }
        }
    }

    private void sluiceWritesArrowReads(final List<Batch> batches) throws IOException {
        final Schema schema = batches.get(0).schema();
        final Path file = dir.resolve("sluice.arrow");
        ArrowBatches.writeFile(file, schema, batches);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, arrow)) {
            assertEquals(batches.size(), reader.getRecordBlocks().size());
            for (final Batch batch : batches) {
                assertTrue(reader.loadNextBatch());
                assertSame(batch, reader.getVectorSchemaRoot());
            }
        }
        final byte[] stream = ArrowBatches.writeStream(schema, batches);
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), arrow)) {
            for (final Batch batch : batches) {
                assertTrue(reader.loadNextBatch());
                assertSame(batch, reader.getVectorSchemaRoot());
            }
            assertTrue(!reader.loadNextBatch());
        }
    }

    @Test
    void sluiceWritesArrowReadsEveryTypeWithAndWithoutNulls() throws IOException {
        for (final boolean nulls : new boolean[] {true, false}) {
            final List<Batch> batches = cases(nulls);
            try {
                sluiceWritesArrowReads(batches);
            } finally {
                releaseAll(batches);
            }
        }
        try (Batch big = bigStrings()) {
            sluiceWritesArrowReads(List.of(big));
        }
    }

    /** Copies {@code batch} into arrow-vector vectors of the same schema. */
    private VectorSchemaRoot toArrow(final Batch batch) {
        final List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
        for (final Field field : batch.schema().fields()) {
            final ArrowType type;
            switch (field.type()) {
                case BOOLEAN:
                    type = ArrowType.Bool.INSTANCE;
                    break;
                case INT32:
                    type = new ArrowType.Int(32, true);
                    break;
                case INT64:
                    type = new ArrowType.Int(64, true);
                    break;
                case FLOAT64:
                    type = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                    break;
                default:
                    type = ArrowType.Utf8.INSTANCE;
                    break;
            }
            fields.add(new org.apache.arrow.vector.types.pojo.Field(field.name(), new FieldType(field.isNullable(), type, null), null));
        }
        final VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), arrow);
        root.allocateNew();
        final int rows = batch.rowCount();
        for (int c = 0; c < batch.columnCount(); c++) {
            final FieldVector vector = root.getVector(c);
            for (int row = 0; row < rows; row++) {
                final Object value = batch.vector(c).getObject(row);
                if (value == null) {
                    vector.setNull(row);
                } else if (vector instanceof BitVector) {
                    ((BitVector) vector).setSafe(row, (Boolean) value ? 1 : 0);
                } else if (vector instanceof IntVector) {
                    ((IntVector) vector).setSafe(row, (Integer) value);
                } else if (vector instanceof BigIntVector) {
                    ((BigIntVector) vector).setSafe(row, (Long) value);
                } else if (vector instanceof Float8Vector) {
                    ((Float8Vector) vector).setSafe(row, (Double) value);
                } else {
                    ((VarCharVector) vector).setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
                }
            }
            vector.setValueCount(rows);
        }
        root.setRowCount(rows);
        return root;
    }

    private void arrowWritesSluiceReads(final List<Batch> batches) throws IOException {
        final Path file = dir.resolve("arrow.arrow");
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = toArrow(batches.get(0));
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING);
             ArrowFileWriter fileWriter = new ArrowFileWriter(root, null, channel);
             ArrowStreamWriter streamWriter = new ArrowStreamWriter(root, null, stream)) {
            fileWriter.start();
            streamWriter.start();
            for (final Batch batch : batches) {
                try (VectorSchemaRoot one = toArrow(batch)) {
                    new org.apache.arrow.vector.VectorUnloader(one).getRecordBatch().close();
                    try (org.apache.arrow.vector.ipc.message.ArrowRecordBatch record =
                             new org.apache.arrow.vector.VectorUnloader(one).getRecordBatch()) {
                        new org.apache.arrow.vector.VectorLoader(root).load(record);
                    }
                }
                fileWriter.writeBatch();
                streamWriter.writeBatch();
            }
            fileWriter.end();
            streamWriter.end();
        }
        try (ArrowTable fromFile = ArrowIpcReader.read(file, allocator);
             ArrowTable fromStream = ArrowIpcReader.readStream(Channels.newChannel(new ByteArrayInputStream(stream.toByteArray())),
                 "arrow stream", allocator)) {
            for (final ArrowTable table : List.of(fromFile, fromStream)) {
                assertEquals(batches.get(0).schema(), table.schema());
                assertEquals(batches.size(), table.batches().size());
                for (int i = 0; i < batches.size(); i++) {
                    ArrowBatches.assertSameRows(batches.get(i), table.batches().get(i));
                }
            }
        }
    }

    @Test
    void arrowWritesSluiceReadsEveryTypeWithAndWithoutNulls() throws IOException {
        for (final boolean nulls : new boolean[] {true, false}) {
            final List<Batch> batches = cases(nulls);
            try {
                arrowWritesSluiceReads(batches);
            } finally {
                releaseAll(batches);
            }
        }
        try (Batch big = bigStrings()) {
            arrowWritesSluiceReads(List.of(big));
        }
    }

    /** Writes an Arrow file of one column of {@code type} (optionally dictionary encoded) and no rows. */
    private Path arrowFileOf(final String name, final FieldType type, final List<org.apache.arrow.vector.types.pojo.Field> children)
        throws IOException {
        final Path file = dir.resolve(name + ".arrow");
        final org.apache.arrow.vector.types.pojo.Schema schema = new org.apache.arrow.vector.types.pojo.Schema(List.of(
            new org.apache.arrow.vector.types.pojo.Field("ok", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new org.apache.arrow.vector.types.pojo.Field(name, type, children)));
        final DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, arrow);
             VarCharVector values = new VarCharVector("dict", arrow)) {
            values.allocateNew();
            values.setValueCount(0);
            if (type.getDictionary() != null) {
                dictionaries.put(new Dictionary(values, type.getDictionary()));
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 ArrowFileWriter writer = new ArrowFileWriter(root, dictionaries, channel)) {
                root.setRowCount(0);
                writer.start();
                writer.writeBatch();
                writer.end();
            }
        }
        return file;
    }

    private void assertRefused(final Path file, final String field, final String type) {
        final ArrowFormatException ex = assertThrows(ArrowFormatException.class, () -> ArrowIpcReader.read(file, allocator));
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("field '" + field + "'"), ex.getMessage());
        assertTrue(ex.getMessage().contains(type), ex.getMessage());
        assertEquals(0, allocator.bytesOutstanding());
    }

    @Test
    void unsupportedArrowTypesAreRefusedNamingFieldAndType() throws IOException {
        assertRefused(arrowFileOf("price", FieldType.nullable(new ArrowType.Decimal(10, 2, 128)), null), "price", "Decimal");
        assertRefused(arrowFileOf("small", FieldType.nullable(new ArrowType.Int(16, true)), null), "small",
            "Int(bitWidth=16, signed=true)");
        assertRefused(arrowFileOf("unsigned", FieldType.nullable(new ArrowType.Int(32, false)), null), "unsigned",
            "Int(bitWidth=32, signed=false)");
        assertRefused(arrowFileOf("f32", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null),
            "f32", "FloatingPoint(SINGLE)");
        assertRefused(arrowFileOf("big", FieldType.nullable(ArrowType.LargeUtf8.INSTANCE), null), "big", "LargeUtf8");
        assertRefused(arrowFileOf("when", FieldType.nullable(new ArrowType.Timestamp(
            org.apache.arrow.vector.types.TimeUnit.MILLISECOND, null)), null), "when", "Timestamp");
        assertRefused(arrowFileOf("list", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
            new org.apache.arrow.vector.types.pojo.Field("item", FieldType.nullable(new ArrowType.Int(64, true)), null))),
            "list", "List");
        assertRefused(arrowFileOf("dict", new FieldType(true, ArrowType.Utf8.INSTANCE,
            new DictionaryEncoding(7, false, new ArrowType.Int(32, true))), null), "dict", "dictionary encoded");
    }

    /** Arrow's reader never sees a file it cannot read from Sluice, and Sluice's never one from Arrow: cross-check. */
    @Test
    void arrowReaderReadsAnEmptySluiceFile() throws IOException {
        final Path file = dir.resolve("empty.arrow");
        ArrowIpcWriter.file(file, Batches.schema(true)).close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowReader reader = new ArrowFileReader(channel, arrow)) {
            assertEquals(5, reader.getVectorSchemaRoot().getSchema().getFields().size());
            assertTrue(!reader.loadNextBatch());
        }
    }
}
