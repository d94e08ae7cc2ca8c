package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a snapshot back leaks nothing when closing its reader fails after every batch was read. */
class StateSnapshotsTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    @Test
    void batchesReadBeforeTheReadersCloseFailsAreReleasedAndTheFailurePropagates() throws IOException {
        final Path file = dir.resolve(LongKeyedState.SNAPSHOT_FILE);
        StateSnapshots.write(allocator, file, LongKeyedState.SNAPSHOT_SCHEMA, new long[] {1, 2}, new long[] {3, 4}, new long[] {5, 6});
        final List<Batch> read = StateSnapshots.read(allocator, dir, LongKeyedState.SNAPSHOT_FILE, LongKeyedState.SNAPSHOT_SCHEMA, "s");
        assertEquals(1, read.size());
        assertTrue(allocator.bytesOutstanding() > 0);
        final UncheckedIOException failure = new UncheckedIOException("cannot close batch file " + file, new IOException("injected"));
        final UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
            () -> StateSnapshots.closeOrRelease(read, () -> {
                throw failure;
            }));
        assertSame(failure, thrown);
        assertEquals(0, allocator.bytesOutstanding(), "the batches read were released");
    }

    @Test
    void aReaderThatClosesHandsBackEveryBatch() throws IOException {
        final Path file = dir.resolve(LongKeyedState.SNAPSHOT_FILE);
        StateSnapshots.write(allocator, file, LongKeyedState.SNAPSHOT_SCHEMA, new long[] {7}, new long[] {8}, new long[] {9});
        final long[][] columns = StateSnapshots.readInt64(allocator, dir, LongKeyedState.SNAPSHOT_FILE,
            LongKeyedState.SNAPSHOT_SCHEMA, "s");
        assertEquals(List.of(7L, 8L, 9L), List.of(columns[0][0], columns[1][0], columns[2][0]));
    }
}
