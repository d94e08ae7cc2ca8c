package io.sluice.nexmark.flink;

/** A bid as a Flink POJO (public fields, no-argument constructor), the columns of {@code NexmarkSchemas.BID}. */
public final class Bid {
    public long auction;
    public long bidder;
    public long price;
    public long dateTime;
    public String extra;

    public Bid() {
    }
}
