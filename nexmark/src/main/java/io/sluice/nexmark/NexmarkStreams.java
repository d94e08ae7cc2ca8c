package io.sluice.nexmark;

import io.sluice.engine.stream.dstream.DStream;

/** The three event streams a query may read (null for a kind the query does not use). */
public record NexmarkStreams(DStream persons, DStream auctions, DStream bids) {
}
