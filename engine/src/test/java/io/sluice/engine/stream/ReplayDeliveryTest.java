package io.sluice.engine.stream;

import static io.sluice.engine.stream.StreamHarness.rows;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.EVENTS;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.engine.stream.dstream.BatchFileSink;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.MemorySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch time replayed from the write-ahead log: the file sinks write it once, collect sees it twice. */
class ReplayDeliveryTest {
    @Test
    void replayedBatchIsSkippedByTheFileSinkAndCollectedAgain(@TempDir final Path dir) throws Exception {
        final Path checkpoint = dir.resolve("ckpt");
        final Path out = dir.resolve("out");
        final Path arrowOut = dir.resolve("arrow-out");
        final List<Long> replayedTimes = Collections.synchronizedList(new ArrayList<>());
        final StreamHarness first = new StreamHarness(2, 2, checkpoint, 0);
        final DStream events = first.input("events", EVENTS);
        final BatchFileSink firstFiles = events.writeBatchFiles(out);
        final BatchFileSink firstArrow = events.writeArrowFiles(arrowOut);
        final MemorySink firstCollect = events.collectToMemory();
        events.foreachBatch((t, d) -> {
            if (t == 200) {
                throw new IllegalStateException("crash after the sinks of batch time 200 ran");
            }
        });
        first.start();
        first.batch(rows(new Object[] {"a", 1L}));
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> first.batch(rows(new Object[] {"b", 2L})));
        assertThrows(StreamingJobException.class, first::close);
        assertEquals(2, firstFiles.written());
        assertEquals(2, firstArrow.written());
        assertEquals(List.of(100L, 200L), firstCollect.batchTimes());

        try (StreamHarness second = new StreamHarness(2, 2, checkpoint, 200)) {
            final DStream again = second.input("events", EVENTS);
            final BatchFileSink files = again.writeBatchFiles(out);
            final BatchFileSink arrow = again.writeArrowFiles(arrowOut);
            final MemorySink collect = again.collectToMemory();
            second.streaming.addListener(new StreamingListener() {
                @Override
                public void onBatchCompleted(final BatchInfo info) {
                    if (info.replayed()) {
                        replayedTimes.add(info.batchTimeMillis());
                    }
                }
            });
            second.start();
            second.batch(rows(new Object[] {"c", 3L}));
            assertEquals(List.of(200L), replayedTimes);
            assertEquals(List.of(200L, 300L), collect.batchTimes(), "at-least-once: batch time 200 collected again");
            assertEquals(List.of("b|2"), sorted(collect.snapshot().get(0).rows()));
            assertEquals(1, files.skipped(), "exactly-once: the committed batch time 200 is not written again");
            assertEquals(1, files.written());
            assertEquals(List.of("b|2"), sorted(second.exec.readFiles(files.committed(200)).collect()));
            assertEquals(List.of("c|3"), sorted(second.exec.readFiles(files.committed(300)).collect()));
            assertEquals(1, arrow.skipped(), "exactly-once: the committed batch time 200 is not written again as Arrow");
            assertEquals(1, arrow.written());
            assertEquals(List.of("b|2"), sorted(second.exec.readArrow(arrow.committed(200)).collect()));
            assertEquals(List.of("c|3"), sorted(second.exec.readArrow(arrow.committed(300)).collect()));
        }
    }
}
