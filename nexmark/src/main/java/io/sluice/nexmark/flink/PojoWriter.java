package io.sluice.nexmark.flink;

import java.nio.charset.StandardCharsets;

import io.sluice.nexmark.EventWriter;
import io.sluice.nexmark.NexmarkSchemas;

/** Fills the Flink POJO of one event from the generator's fields, by the column indexes of the Sluice schemas. */
final class PojoWriter implements EventWriter {
    Bid bid;
    Auction auction;
    Person person;

    @Override
    public void int64(final int column, final long value) {
        if (bid != null) {
            switch (column) {
                case NexmarkSchemas.BID_AUCTION -> bid.auction = value;
                case NexmarkSchemas.BID_BIDDER -> bid.bidder = value;
                case NexmarkSchemas.BID_PRICE -> bid.price = value;
                case NexmarkSchemas.BID_DATE_TIME -> bid.dateTime = value;
                default -> throw unknown(column);
            }
        } else if (auction != null) {
            switch (column) {
                case NexmarkSchemas.AUCTION_ID -> auction.id = value;
                case NexmarkSchemas.AUCTION_INITIAL_BID -> auction.initialBid = value;
                case NexmarkSchemas.AUCTION_RESERVE -> auction.reserve = value;
                case NexmarkSchemas.AUCTION_DATE_TIME -> auction.dateTime = value;
                case NexmarkSchemas.AUCTION_EXPIRES -> auction.expires = value;
                case NexmarkSchemas.AUCTION_SELLER -> auction.seller = value;
                case NexmarkSchemas.AUCTION_CATEGORY -> auction.category = value;
                default -> throw unknown(column);
            }
        } else {
            switch (column) {
                case NexmarkSchemas.PERSON_ID -> person.id = value;
                case NexmarkSchemas.PERSON_DATE_TIME -> person.dateTime = value;
                default -> throw unknown(column);
            }
        }
    }

    @Override
    public void ascii(final int column, final byte[] bytes, final int length) {
        final String value = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        if (bid != null) {
            if (column != NexmarkSchemas.BID_EXTRA) {
                throw unknown(column);
            }
            bid.extra = value;
        } else if (auction != null) {
            switch (column) {
                case NexmarkSchemas.AUCTION_ITEM_NAME -> auction.itemName = value;
                case NexmarkSchemas.AUCTION_DESCRIPTION -> auction.description = value;
                case NexmarkSchemas.AUCTION_EXTRA -> auction.extra = value;
                default -> throw unknown(column);
            }
        } else {
            switch (column) {
                case NexmarkSchemas.PERSON_NAME -> person.name = value;
                case NexmarkSchemas.PERSON_EMAIL -> person.emailAddress = value;
                case NexmarkSchemas.PERSON_CREDIT_CARD -> person.creditCard = value;
                case NexmarkSchemas.PERSON_CITY -> person.city = value;
                case NexmarkSchemas.PERSON_STATE -> person.state = value;
                case NexmarkSchemas.PERSON_EXTRA -> person.extra = value;
                default -> throw unknown(column);
            }
        }
    }

    private static IllegalStateException unknown(final int column) {
        return new IllegalStateException("no field for column index=" + column);
    }
}
