package io.sluice.nexmark;

import java.util.Map;

import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;

/** The three event streams a query may read (null for a kind the query does not use). */
public record NexmarkStreams(DStream persons, DStream auctions, DStream bids) {
    /** Each of {@code sources} as an input of {@code ssc} and a stream of {@code graph}; kinds without a source are null. */
    public static NexmarkStreams of(final DStreamGraph graph, final StreamingContext ssc,
                                    final Map<EventKind, NexmarkSource> sources) {
        return new NexmarkStreams(stream(graph, ssc, sources.get(EventKind.PERSON)),
            stream(graph, ssc, sources.get(EventKind.AUCTION)), stream(graph, ssc, sources.get(EventKind.BID)));
    }

    private static DStream stream(final DStreamGraph graph, final StreamingContext ssc, final NexmarkSource source) {
        return source == null ? null : graph.stream(ssc.input(source));
    }
}
