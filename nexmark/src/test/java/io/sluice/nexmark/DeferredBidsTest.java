package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.nexmark.flink.FlinkRunner;

/**
 * q4 with its auctions a batch behind its bids, so the bids on an auction of the same slice of event ids come before
 * the auction and wait (deferred by the primitive state) for it: the final table still equals Flink's, where the
 * bids arrive with their auctions.
 */
class DeferredBidsTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(30_000);
    private static final long SLICE = 6_000;
    private static final long INTERVAL = 100;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void bidsBeforeTheirAuctionWaitForItAndTheTableEqualsFlinks() throws Exception {
        assertTrue(bidsAheadOfTheirAuction() > 1_000, "the slices put many bids a batch ahead of their auction");
        final List<Object[]> sluice = runWithAuctionsOneSliceBehind();
        final RunResult flink = new FlinkRunner(2, tmp.resolve("flink")).run(NexmarkQuery.Q4, CONFIG, true);
        assertEquals(sorted(flink.rows()), sorted(sluice));
    }

    /** Bids whose auction is in the same slice of event ids: fed a batch before their auction. */
    private static long bidsAheadOfTheirAuction() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        final long[] auction = new long[1];
        final EventWriter auctionOf = new EventWriter() {
            @Override
            public void int64(final int column, final long value) {
                if (column == NexmarkSchemas.BID_AUCTION) {
                    auction[0] = value;
                }
            }

            @Override
            public void ascii(final int column, final byte[] bytes, final int length) {
            }
        };
        long ahead = 0;
        for (long index = 0; index < EventKind.BID.countBelow(CONFIG.maxEvents()); index++) {
            final long bid = EventKind.BID.eventId(index);
            generator.write(EventKind.BID, bid, auctionOf);
            final long auctionEvent = EventKind.AUCTION.eventId(auction[0] - NexmarkGenerator.FIRST_AUCTION_ID);
            if (auctionEvent / SLICE == bid / SLICE) {
                ahead++;
            }
        }
        return ahead;
    }

    /**
     * q4 on Sluice with batch k holding the bids of event ids {@code [k * SLICE, (k + 1) * SLICE)} and the auctions of
     * the slice before; the rows of the last batch (the table).
     */
    private static List<Object[]> runWithAuctionsOneSliceBehind() throws InterruptedException {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final List<Object[]> table = new ArrayList<>();
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().workers(2).build(), allocator, 4);
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
                 .clock(clock).backpressure(BackpressureConfig.unlimitedRate()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            final QueueSource auctions = QueueSource.create("auction", NexmarkSchemas.of(EventKind.AUCTION), 16);
            final QueueSource bids = QueueSource.create("bid", NexmarkSchemas.of(EventKind.BID), 16);
            final NexmarkStreams streams = new NexmarkStreams(null, graph.stream(ssc.input(auctions)),
                graph.stream(ssc.input(bids)));
            NexmarkQuery.Q4.on(streams, Long.MAX_VALUE).foreachBatch((time, dataset) -> {
                final List<Object[]> rows = new ArrayList<>();
                for (final Batch batch : DatasetBatches.materialize(dataset)) {
                    try {
                        BatchRows.addTo(batch, rows);
                    } finally {
                        batch.release();
                    }
                }
                synchronized (table) {
                    table.clear();
                    table.addAll(rows);
                }
            });
            ssc.start();
            final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
            long time = 0;
            for (long from = 0; from < CONFIG.maxEvents() + SLICE; from += SLICE) {
                if (from < CONFIG.maxEvents()) {
                    offer(bids, events(allocator, generator, EventKind.BID, from, from + SLICE));
                }
                if (from > 0) {
                    offer(auctions, events(allocator, generator, EventKind.AUCTION, from - SLICE, from));
                }
                time += INTERVAL;
                clock.setMillis(time);
                assertTrue(ssc.awaitBatchCompleted(time, WAIT), "batch " + time + " completed");
                if (from == 0) {
                    synchronized (table) {
                        assertEquals(List.of(), table, "the first batch has bids only, all waiting for their auction");
                    }
                    assertEquals(0, bids.pendingRecords(), "the first slice's bids went into the first batch");
                }
            }
        }
        synchronized (table) {
            return new ArrayList<>(table);
        }
    }

    private static void offer(final QueueSource source, final Batch batch) {
        final QueueSource.Offer offer = source.offerBatch(batch);
        if (offer != QueueSource.Offer.ACCEPTED) {
            batch.release();
        }
        assertEquals(QueueSource.Offer.ACCEPTED, offer, "offer to " + source.name());
    }

    /** The events of {@code kind} with ids in {@code [from, to)} (within the config's events) as one batch. */
    private static Batch events(final BufferAllocator allocator, final NexmarkGenerator generator, final EventKind kind,
                                final long from, final long to) {
        final long first = kind.countBelow(from);
        final long last = kind.countBelow(Math.min(to, CONFIG.maxEvents()));
        try (ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.of(kind),
            (int) Math.max(1, last - first))) {
            for (long index = first; index < last; index++) {
                generator.write(kind, kind.eventId(index), writer);
                writer.endRow();
            }
            return writer.build();
        }
    }

    private static List<String> sorted(final List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
