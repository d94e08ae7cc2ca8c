package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Runs the README's library example, and checks the README still shows exactly the code run here. */
class ReadmeExampleTest {
    private static final Path SELF = Path.of("src", "test", "java", "io", "sluice", "engine", "dataset",
        "ReadmeExampleTest.java");

    @Test
    void readmeWordCountRunsAndCounts() {
        final List<Object[]> rows = List.of(new Object[] {"The cat and the hat"}, new Object[] {"the end"},
            new Object[] {null});
        final Map<String, Long> result = new TreeMap<>();
        // README:begin
        SchedulerConfig config = SchedulerConfig.builder().workers(4).policy(SchedulingPolicy.WORK_STEALING).build();
        try (ExecutionContext ctx = ExecutionContext.create(config)) {
            Schema lines = new Schema(List.of(new Field("line", ColumnType.UTF8, true)));
            List<Object[]> counts = ctx.fromRows(lines, rows, 8)          // rows: List<Object[]>, 8 partitions
                .withColumn("line", col("line").lower())
                .flatMap(Expr.split(col("line"), " "), "word")
                .groupBy("word").agg(Agg.count())
                .collect();
        // README:end
            for (final Object[] r : counts) {
                result.put((String) r[0], (Long) r[1]);
            }
        }   // close() releases the source partitions and closes the allocator, which throws on any leaked byte
        assertEquals(Map.of("the", 3L, "cat", 1L, "and", 1L, "hat", 1L, "end", 1L), result);
    }

    @Test
    void readmeShowsTheCodeThisTestRuns() throws IOException {
        ReadmeSnippet.assertReadmeShows(SELF, "the example");
    }
}
