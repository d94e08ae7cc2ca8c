package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.arrow.ArrowFormatException;
import io.sluice.memory.arrow.ArrowIpcReader;
import io.sluice.memory.arrow.ArrowIpcWriter;
import io.sluice.memory.arrow.ArrowTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowDatasetTest extends LeakCheckedContext {
    @TempDir
    Path dir;

    @Test
    void writeArrowThenReadArrowRoundTripsEveryPartition() {
        final List<Object[]> input = randomRows(17, 900);
        final Path out = dir.resolve("out");
        ctx.fromRows(SCHEMA, input, 5).filter(col("k").isNotNull()).writeArrow(out);
        try (var files = Files.list(out)) {
            assertEquals(5, files.filter(p -> p.getFileName().toString().matches("part-0000[0-4]\\.arrow")).count());
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
        final Dataset back = ctx.readArrow(out);
        assertEquals(5, back.numPartitions());
        assertEquals(SCHEMA, back.schema());
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] row : input) {
            if (row[0] != null) {
                want.add(row);
            }
        }
        assertEquals(canonical(want), canonical(back.collect()));
        assertEquals(canonical(want), canonical(ctx.readArrow(out.resolve("part-00003.arrow")).union(
            ctx.readArrow(out.resolve("part-00000.arrow"))).union(ctx.readArrow(out.resolve("part-00001.arrow")))
            .union(ctx.readArrow(out.resolve("part-00002.arrow"))).union(ctx.readArrow(out.resolve("part-00004.arrow")))
            .collect()));
    }

    @Test
    void oneFileOfManyBatchesIsOnePartition() {
        final List<Object[]> input = randomRows(5, 300);
        final Path file = dir.resolve("many.arrow");
        try (ArrowIpcWriter writer = ArrowIpcWriter.file(file, SCHEMA)) {
            for (int from = 0; from < input.size(); from += 100) {
                try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), SCHEMA)) {
                    for (int r = from; r < from + 100; r++) {
                        Rows.append(builder, input.get(r), r);
                    }
                    try (Batch batch = builder.build()) {
                        writer.write(batch);
                    }
                }
            }
        }
        final Dataset read = ctx.readArrow(file);
        assertEquals(1, read.numPartitions());
        assertEquals(300, read.count());
        assertEquals(canonical(input), canonical(read.collect()));
    }

    @Test
    void readmeArrowExampleRuns() throws IOException {
        final Path in = dir.resolve("events.arrow");
        final Path out = dir.resolve("events-out");
        try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), SCHEMA);
             ArrowIpcWriter source = ArrowIpcWriter.file(in, SCHEMA)) {
            for (final Object[] row : randomRows(9, 40)) {
                Rows.append(builder, row, 0);
            }
            try (Batch batch = builder.build()) {
                source.write(batch);
            }
        }
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.nio.channels.WritableByteChannel channel = java.nio.channels.Channels.newChannel(bytes);
        long rows;
        // README:begin
        Dataset events = ctx.readArrow(in);                        // one .arrow file, or a folder of part-*.arrow files
        events.filter(col("k").isNotNull()).writeArrow(out);       // out/part-00000.arrow, ... one file per partition
        try (ArrowTable table = ArrowIpcReader.read(out.resolve("part-00000.arrow"), ctx.allocator());
             ArrowIpcWriter writer = ArrowIpcWriter.stream(channel, table.schema())) {   // any WritableByteChannel
            for (Batch batch : table.batches()) {                  // checked, off-heap, released with the table
                writer.write(batch);                               // the body leaves the vectors in one gathering write
            }
            rows = table.rowCount();
        }
        // README:end
        assertEquals(events.filter(col("k").isNotNull()).count(), rows);
        try (ArrowTable again = ArrowIpcReader.readStream(java.nio.channels.Channels.newChannel(
            new java.io.ByteArrayInputStream(bytes.toByteArray())), "copy", ctx.allocator())) {
            assertEquals(rows, again.rowCount());
        }
        ReadmeSnippet.assertReadmeShows(Path.of("src", "test", "java", "io", "sluice", "engine", "dataset", "ArrowDatasetTest.java"),
            "the Arrow example");
    }

    @Test
    void aCorruptPartitionFailsTheJobNamingTheFile() throws IOException {
        final Path out = dir.resolve("bad");
        ctx.fromRows(SCHEMA, randomRows(3, 50), 2).writeArrow(out);
        final Path second = out.resolve("part-00001.arrow");
        final byte[] bytes = Files.readAllBytes(second);
        Files.write(second, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        final Dataset read = ctx.readArrow(out);
        final RuntimeException ex = assertThrows(RuntimeException.class, read::collect);
        Throwable cause = ex;
        while (cause != null && !(cause instanceof ArrowFormatException)) {
            cause = cause.getCause() != null ? cause.getCause() : cause.getSuppressed().length > 0 ? cause.getSuppressed()[0] : null;
        }
        assertTrue(cause != null, "an ArrowFormatException underlies " + ex);
        assertTrue(cause.getMessage().contains(second.toString()), cause.getMessage());
    }
}
