package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.StreamHarness.rows;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.EVENTS;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.StreamingJobException;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DStreamJoinAndSinkTest {
    private static final Schema NAMES = Schema.of(Field.notNull("id", ColumnType.UTF8), Field.nullable("name", ColumnType.UTF8));

    @Test
    void joinWithAStaticDatasetMatchesANestedLoopReference() throws Exception {
        final Random random = new Random(11);
        try (StreamHarness h = new StreamHarness()) {
            final List<Object[]> names = rows(new Object[] {"k0", "zero"}, new Object[] {"k1", "one"}, new Object[] {"k1", "uno"},
                new Object[] {"k3", null});
            final Dataset table = h.exec.fromRows(NAMES, names, 2);
            final DStream events = h.input("events", EVENTS);
            final MemorySink inner = events.join(table, List.of("k"), List.of("id"), JoinType.INNER).collectToMemory();
            final MemorySink left = events.join(table, List.of("k"), List.of("id"), JoinType.LEFT).collectToMemory();
            h.start();
            final List<List<Object[]>> batches = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                final List<Object[]> batch = b == 1 ? rows() : DStreamOperatorsTest.events(random, 40, 5);
                batches.add(batch);
                h.batch(batch);
            }
            for (int b = 0; b < batches.size(); b++) {
                final List<Object[]> expInner = new ArrayList<>();
                final List<Object[]> expLeft = new ArrayList<>();
                for (final Object[] e : batches.get(b)) {
                    boolean matched = false;
                    for (final Object[] n : names) {
                        if (n[0].equals(e[0])) {
                            expInner.add(new Object[] {e[0], e[1], n[0], n[1]});
                            matched = true;
                        }
                    }
                    expLeft.addAll(matched ? expInner.subList(expInner.size() - count(names, e[0]), expInner.size())
                        : List.<Object[]>of(new Object[] {e[0], e[1], null, null}));
                }
                assertEquals(sorted(expInner), sorted(inner.snapshot().get(b).rows()), "inner batch " + b);
                assertEquals(sorted(expLeft), sorted(left.snapshot().get(b).rows()), "left batch " + b);
            }
        }
    }

    private static int count(final List<Object[]> names, final Object key) {
        int n = 0;
        for (final Object[] row : names) {
            n += row[0].equals(key) ? 1 : 0;
        }
        return n;
    }

    @Test
    void joinAndUnionOfTwoStreamsPairTheSameBatchTime() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final DStream names = h.input("names", NAMES);
            final MemorySink joined = events.join(names, List.of("k"), List.of("id"), JoinType.INNER).collectToMemory();
            final DStream more = h.input("more", EVENTS);
            final MemorySink union = events.union(more).select("k").collectToMemory();
            h.start();
            h.batch(rows(new Object[] {"a", 1L}, new Object[] {"b", 2L}), rows(new Object[] {"a", "A"}), rows(new Object[] {"a", 9L}));
            h.batch(rows(new Object[] {"b", 3L}), rows(new Object[] {"a", "A2"}), rows());   // a's name came too late for a=1
            h.batch(rows(), rows(new Object[] {"c", "C"}), rows(new Object[] {"c", 1L}));
            assertEquals(List.of("a|1|a|A"), sorted(joined.snapshot().get(0).rows()));
            assertEquals(List.of(), sorted(joined.snapshot().get(1).rows()));
            assertEquals(List.of(), sorted(joined.snapshot().get(2).rows()));
            assertEquals(List.of("a", "a", "b"), sorted(union.snapshot().get(0).rows()));
            assertEquals(List.of("b"), sorted(union.snapshot().get(1).rows()));
            assertEquals(List.of("c"), sorted(union.snapshot().get(2).rows()));
        }
    }

    @Test
    void unionOfDifferentSchemasIsRejectedAtDefinition() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final DStream names = h.input("names", NAMES);
            assertThrows(IllegalArgumentException.class, () -> events.union(names));
        }
    }

    @Test
    void fileSinkCommitsOneFolderPerBatchTimeAndSkipsACommittedOne(@TempDir final Path dir) throws Exception {
        final Path out = dir.resolve("out");
        final Path committedBefore = out.resolve("batch-200");
        Files.createDirectories(committedBefore);
        Files.writeString(committedBefore.resolve("marker"), "first run");
        Files.createDirectories(out.resolve(".tmp-batch-300"));
        Files.writeString(out.resolve(".tmp-batch-300").resolve("part-9.sbf"), "torn");
        // An empty batch time killed mid-write in an earlier run: never replayed, so never rewritten.
        Files.createDirectories(out.resolve(".tmp-batch-50"));
        Files.writeString(out.resolve(".tmp-batch-50").resolve("part-00000.sbf.attempt-3.tmp"), "torn");
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            final BatchFileSink sink = events.filter(io.sluice.engine.dataset.Expr.col("v").isNotNull()).writeBatchFiles(out);
            h.start();
            h.batch(rows(new Object[] {"a", 1L}, new Object[] {"b", null}));
            h.batch(rows(new Object[] {"c", 2L}));
            h.batch(rows(new Object[] {"d", 3L}, new Object[] {"e", 4L}));
            assertEquals(2, sink.written());
            assertEquals(1, sink.skipped());
            assertEquals(List.of("a|1"), sorted(h.exec.readFiles(sink.committed(100)).collect()));
            assertEquals(List.of("d|3", "e|4"), sorted(h.exec.readFiles(sink.committed(300)).collect()));
            assertEquals(List.of("marker"), List.of(committedBefore.toFile().list()), "the committed batch time was not rewritten");
            assertFalse(Files.exists(out.resolve(".tmp-batch-300")), "the torn attempt was replaced and renamed");
            assertEquals(java.util.Set.of("batch-100", "batch-200", "batch-300"), java.util.Set.of(out.toFile().list()),
                "the output folder holds committed batches only");
            for (final String name : sink.committed(300).toFile().list()) {
                assertTrue(io.sluice.memory.BatchFolderDescriptor.isPartFile(name), "a committed folder holds part files only: " + name);
            }
        }
    }

    @Test
    void arrowSinkCommitsOneFolderOfArrowFilesPerBatchTime(@TempDir final Path dir) throws Exception {
        final Path out = dir.resolve("arrow");
        Files.createDirectories(out.resolve("batch-200"));
        try (StreamHarness h = new StreamHarness()) {
            final BatchFileSink sink = h.input("events", EVENTS).writeArrowFiles(out);
            h.start();
            h.batch(rows(new Object[] {"a", 1L}, new Object[] {"b", null}));
            h.batch(rows(new Object[] {"c", 2L}));
            assertEquals(1, sink.written());
            assertEquals(1, sink.skipped());
            assertEquals(List.of("a|1", "b|null"), sorted(h.exec.readArrow(sink.committed(100)).collect()));
            assertTrue(Files.exists(sink.committed(100).resolve("part-00000.arrow")));
        }
    }

    @Test
    void outputsCannotBeAddedOnceBatchesRan() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            events.collectToMemory();
            h.start();
            h.batch(rows());
            final IllegalStateException ex = assertThrows(IllegalStateException.class, events::collectToMemory);
            assertTrue(ex.getMessage().contains("already ran batches"), ex.getMessage());
        }
    }

    @Test
    void consoleSinkPrintsTheBatchTimeAndTheFirstRows() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StreamHarness h = new StreamHarness();
             PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            final DStream events = h.input("events", EVENTS);
            events.select("k").print(out, 2);
            h.start();
            h.batch(rows(new Object[] {"a", 1L}, new Object[] {"b", 2L}, new Object[] {"c", 3L}));
            h.batch(rows());
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Batch time: 100 ms\n"), text);
        assertTrue(text.contains("Batch time: 200 ms\n"), text);
        assertEquals(2, text.split("\n\\[", -1).length - 1, "two rows printed for batch 100:\n" + text);
        assertTrue(text.contains("...\n"), text);
    }

    @Test
    void foreachBatchSeesEveryBatchTimeInOrderAndFailureStopsTheStream() throws Exception {
        final List<Long> seen = new ArrayList<>();
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", EVENTS);
            events.foreachBatch((t, d) -> {
                seen.add(t);
                if (t == 300) {
                    throw new IllegalStateException("boom at " + t);
                }
            });
            h.start();
            h.batch(rows(new Object[] {"a", 1L}));
            h.batch(rows());
            assertThrows(org.opentest4j.AssertionFailedError.class, () -> h.batch(rows(new Object[] {"b", 2L})));
            assertTrue(h.streaming.failure().isPresent());
            assertThrows(StreamingJobException.class, () -> h.graph.stop(true));
        }
        assertEquals(List.of(100L, 200L, 300L), seen);
    }
}
