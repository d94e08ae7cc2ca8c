package io.sluice.nexmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.SystemStreamClock;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.memory.BufferAllocator;

/**
 * A Nexmark query as a checkpointed stream on the system clock, for {@link NexmarkKillRestartTest}: its output
 * committed per batch time ({@code writeBatchFiles}, exactly once). Prints {@code STARTED} once running and
 * {@code DONE} once every event was processed. Arguments: checkpoint folder, output folder, query, events, event ids
 * per poll, batch interval in ms.
 */
public final class NexmarkKillChild {
    private NexmarkKillChild() {
    }

    public static void main(final String[] args) throws Exception {
        final Path checkpoint = Path.of(args[0]);
        final Path out = Path.of(args[1]);
        final NexmarkQuery query = NexmarkQuery.parse(args[2]);
        final NexmarkConfig config = NexmarkConfig.defaults(Long.parseLong(args[3]));
        final long perPoll = Long.parseLong(args[4]);
        final long interval = Long.parseLong(args[5]);
        final Map<EventKind, NexmarkSource> sources = NexmarkSource.forQuery(query, config, perPoll);
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().workers(2).build(), allocator, 4);
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(interval)).allocator(allocator)
                 .clock(SystemStreamClock.instance()).checkpointFolder(checkpoint).checkpointEvery(3).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final NexmarkStreams streams = NexmarkStreams.of(graph, ssc, sources);
            query.on(streams, query.cutoff(config)).writeBatchFiles(out);
            ssc.start();
            System.out.println("STARTED");
            while (!sources.values().stream().allMatch(NexmarkSource::exhausted)) {
                Thread.sleep(interval);
            }
            final long last = ssc.clock().millis() + 2 * interval;
            if (!ssc.awaitBatchCompleted(last - last % interval, Duration.ofMinutes(2))) {
                throw new IllegalStateException("the last batch did not complete" + ssc.failure().map(f -> ": " + f).orElse(""));
            }
        }
        System.out.println("DONE");
    }
}
