package io.sluice.nexmark;

import java.io.Serializable;

/**
 * The generator's parameters, with Beam's defaults ({@code NexmarkConfiguration}): 10,000 events/s over 100
 * logical generators (so 10 ms of event time between two events), hot auctions 1 in 2, hot sellers and bidders 3 in
 * 4, 1,000 active people, 100 auctions in flight, average sizes 200 / 500 / 100 bytes, events in order.
 *
 * @param baseTime event time of event 0, epoch millis
 * @param eventsPerSecond the event rate that spaces event times (not how fast events are produced)
 * @param numEventGenerators Beam's generator count: multiplies the inter-event delay
 * @param maxEvents events in the stream, > 0
 */
public record NexmarkConfig(long baseTime, int eventsPerSecond, int numEventGenerators, int hotAuctionRatio,
                            int hotSellersRatio, int hotBiddersRatio, int numActivePeople, int numInFlightAuctions,
                            int avgPersonByteSize, int avgAuctionByteSize, int avgBidByteSize, long maxEvents)
    implements Serializable {
    /** 2026-01-01T00:00:00Z: a fixed base so every run (and every engine) sees the same event times. */
    public static final long DEFAULT_BASE_TIME = 1_767_225_600_000L;

    public NexmarkConfig {
        requirePositive("eventsPerSecond", eventsPerSecond);
        requirePositive("numEventGenerators", numEventGenerators);
        requirePositive("hotAuctionRatio", hotAuctionRatio);
        requirePositive("hotSellersRatio", hotSellersRatio);
        requirePositive("hotBiddersRatio", hotBiddersRatio);
        requirePositive("numActivePeople", numActivePeople);
        requirePositive("numInFlightAuctions", numInFlightAuctions);
        requirePositive("maxEvents", maxEvents);
        if (avgPersonByteSize < 0 || avgAuctionByteSize < 0 || avgBidByteSize < 0) {
            throw new IllegalArgumentException("average sizes must be >= 0: person=" + avgPersonByteSize + " auction="
                + avgAuctionByteSize + " bid=" + avgBidByteSize);
        }
    }

    /** Beam's defaults over {@code maxEvents} events. */
    public static NexmarkConfig defaults(final long maxEvents) {
        return new NexmarkConfig(DEFAULT_BASE_TIME, 10_000, 100, 2, 4, 4, 1000, 100, 200, 500, 100, maxEvents);
    }

    /** The same configuration over {@code events} events. */
    public NexmarkConfig withMaxEvents(final long events) {
        return new NexmarkConfig(baseTime, eventsPerSecond, numEventGenerators, hotAuctionRatio, hotSellersRatio,
            hotBiddersRatio, numActivePeople, numInFlightAuctions, avgPersonByteSize, avgAuctionByteSize, avgBidByteSize,
            events);
    }

    /** Microseconds of event time between two consecutive events (Beam's rounding). */
    public long interEventDelayUs() {
        return ((1_000_000L + eventsPerSecond / 2) / eventsPerSecond) * numEventGenerators;
    }

    /** Event time of event number {@code eventNumber}, epoch millis. */
    public long timestamp(final long eventNumber) {
        return baseTime + eventNumber * interEventDelayUs() / 1000L;
    }

    private static void requirePositive(final String name, final long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + "=" + value + " must be > 0");
        }
    }
}
