package io.sluice.nexmark.flink;

/** An auction as a Flink POJO, the columns of {@code NexmarkSchemas.AUCTION}. */
public final class Auction {
    public long id;
    public String itemName;
    public String description;
    public long initialBid;
    public long reserve;
    public long dateTime;
    public long expires;
    public long seller;
    public long category;
    public String extra;

    public Auction() {
    }
}
