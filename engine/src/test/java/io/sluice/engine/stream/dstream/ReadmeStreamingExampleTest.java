package io.sluice.engine.stream.dstream;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
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

/** Runs the README's streaming word count, and checks the README still shows exactly the code run here. */
class ReadmeStreamingExampleTest {
    private static final Path SELF = Path.of("src", "test", "java", "io", "sluice", "engine", "stream",
        "dstream", "ReadmeStreamingExampleTest.java");

    @Test
    void readmeStreamingWordCountRunsAndPrintsWindowedCounts() throws Exception {
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
                Schema lines = Schema.of(Field.notNull("line", ColumnType.UTF8));
                StreamInput input = ssc.input(GeneratorSource.builder("words", lines).ratePerSecond(500).vocabulary(20).build());
                // or from a socket, same "line" column: ssc.input(TcpLineSource.builder("socket", "localhost", 9999).build())
                graph.stream(input)
                    .flatMap(Expr.split(col("line"), " "), "word")
                    .reduceByKeyAndWindow(List.of("word"), Reducer.count(), (a, b) -> a - b,   // incremental window
                        Duration.ofSeconds(10), Duration.ofSeconds(2))
                    .print(out, 5);                                     // every 2 s: 5 (word, count) rows
                ssc.start();
                ssc.awaitBatchCompleted(ssc.clock().millis() + 10_000, Duration.ofMinutes(1));
            }   // closes the graph first: stops the stream, releases the window; then the workers and the allocator
            // README:end
        } finally {
            ticker.stop();
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Batch time: 2000 ms\n"), text);
        assertTrue(text.contains("Batch time: 10000 ms\n") || text.contains("Batch time: 12000 ms\n"), text);
        assertTrue(text.contains("[w"), "some (word, count) rows were printed:\n" + text);
        assertEquals(List.of(), StreamHarness.sluiceThreads());
    }

    @Test
    void readmeShowsTheStreamingCodeThisTestRuns() throws IOException {
        ReadmeSnippet.assertReadmeShows(SELF, "the streaming example");
    }
}
