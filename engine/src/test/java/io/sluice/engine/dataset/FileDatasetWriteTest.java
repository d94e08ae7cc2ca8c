package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written folder holds the part files and nothing else, whatever happened to the attempts that wrote it. */
class FileDatasetWriteTest {
    private BufferAllocator allocator;
    private ExecutionContext ctx;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        allocator = new BufferAllocator();
        ctx = ExecutionContext.create(DatasetTestSupport.config(SchedulingPolicy.WORK_STEALING, FaultInjection.none()), allocator, 4);
    }

    @AfterEach
    void tearDown() {
        ctx.close();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** An attempt interrupted while writing (what a losing speculative copy is) fails and leaves no file. */
    @Test
    void interruptedAttemptLeavesNoFile() throws IOException {
        final List<Batch> parts = ctx.fromRows(SCHEMA, randomRows(3, 100), 1).computePartitions(new int[] {0});
        try {
            Thread.currentThread().interrupt();
            try {
                assertThrows(RuntimeException.class,
                    () -> FileDataset.writePartition(parts.get(0), dir, 0, PartitionFileFormat.BATCH_FILES));
            } finally {
                Thread.interrupted();
            }
        } finally {
            Batch.releaseAll(parts);
        }
        assertEquals(Set.of(), files());
    }

    /** Attempt files left by a crashed or interrupted earlier write into the folder are gone after a write. */
    @Test
    void writeLeavesOnlyPartFiles() throws IOException {
        Files.write(dir.resolve("part-00001.sbf.attempt-7.tmp"), new byte[4096]);
        Files.write(dir.resolve("part-00000.sbf.attempt-999999"), new byte[100]);
        ctx.fromRows(SCHEMA, randomRows(5, 300), 3).write(dir);
        assertEquals(new TreeSet<>(Set.of("part-00000.sbf", "part-00001.sbf", "part-00002.sbf")), files());
        assertEquals(300, ctx.readFiles(dir).count());
    }
}
