package io.sluice.nexmark;

/** The three kinds of Nexmark events and how event ids map to them: of every 50 ids, 1 person, 3 auctions, 46 bids. */
public enum EventKind {
    PERSON, AUCTION, BID;

    static final int PERSON_PROPORTION = 1;
    static final int AUCTION_PROPORTION = 3;
    static final int PROPORTION_DENOMINATOR = 50;

    /** The kind of event {@code eventId}. */
    public static EventKind of(final long eventId) {
        final long rem = eventId % PROPORTION_DENOMINATOR;
        if (rem < PERSON_PROPORTION) {
            return PERSON;
        }
        return rem < PERSON_PROPORTION + AUCTION_PROPORTION ? AUCTION : BID;
    }

    /** Events of this kind in every run of 50 event ids. */
    public int perEpoch() {
        return switch (this) {
            case PERSON -> PERSON_PROPORTION;
            case AUCTION -> AUCTION_PROPORTION;
            case BID -> PROPORTION_DENOMINATOR - PERSON_PROPORTION - AUCTION_PROPORTION;
        };
    }

    /** Where this kind starts within a run of 50 event ids. */
    private int firstOffset() {
        return switch (this) {
            case PERSON -> 0;
            case AUCTION -> PERSON_PROPORTION;
            case BID -> PERSON_PROPORTION + AUCTION_PROPORTION;
        };
    }

    /** The event id of this kind's {@code index}-th event (from 0). */
    public long eventId(final long index) {
        return index / perEpoch() * PROPORTION_DENOMINATOR + firstOffset() + index % perEpoch();
    }

    /** How many of the event ids below {@code eventIdLimit} are of this kind. */
    public long countBelow(final long eventIdLimit) {
        final long whole = eventIdLimit / PROPORTION_DENOMINATOR * perEpoch();
        final long rest = eventIdLimit % PROPORTION_DENOMINATOR - firstOffset();
        return whole + Math.max(0, Math.min(rest, perEpoch()));
    }
}
