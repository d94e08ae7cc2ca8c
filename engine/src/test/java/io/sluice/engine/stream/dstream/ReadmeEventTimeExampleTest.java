package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.eventtime.EventTimeWindow.tumbling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.ReadmeSnippet;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;

/** Runs the README's event-time example, and checks the README still shows exactly the code run here. */
class ReadmeEventTimeExampleTest {
    private static final Path SELF = Path.of("src", "test", "java", "io", "sluice", "engine", "stream",
        "dstream", "ReadmeEventTimeExampleTest.java");

    @Test
    void readmeEventTimeExampleRunsAndPrintsClosedWindows() throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final ReadmeTicker ticker = new ReadmeTicker(clock);
        try {
            // README:begin
            SchedulerConfig config = SchedulerConfig.builder().workers(2).policy(SchedulingPolicy.WORK_STEALING).build();
            try (ExecutionContext exec = ExecutionContext.create(config);
                 StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofSeconds(1))
                     .allocator(exec.allocator()).clock(clock).build();   // clock: SystemStreamClock.instance()
                 DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
                Schema clicks = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("page", ColumnType.UTF8));
                StreamInput input = ssc.input(GeneratorSource.builder("clicks", clicks).ratePerSecond(1000).vocabulary(5)
                    .eventTime("ts", 0, 1000).disorder(3000, 0.01).build());   // 1% of the clicks up to 3 s late
                WindowAggregateDStream counts = graph.stream(input)
                    .withWatermark("ts", Duration.ofSeconds(1))          // watermark: max ts seen - 1 s
                    .groupByWindow(tumbling("ts", Duration.ofSeconds(5)), "page")
                    .agg(Agg.count());                                   // append mode: once, when the watermark passes
                counts.print(out, 5);                                    // [window_start, window_end, page, count]
                counts.lateRows().print(out, 5);                         // clicks whose window had closed
                ssc.start();
                ssc.awaitBatchCompleted(ssc.clock().millis() + 20_000, Duration.ofMinutes(1));
            }   // stops the stream and frees the window state
            // README:end
        } finally {
            ticker.stop();
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[0, 5000, w"), text);
        assertTrue(text.contains("[5000, 10000, w"), text);
        assertEquals(List.of(), StreamHarness.sluiceThreads());
    }

    @Test
    void readmeShowsTheEventTimeCodeThisTestRuns() throws IOException {
        ReadmeSnippet.assertReadmeShows(SELF, "the event-time example");
    }
}
