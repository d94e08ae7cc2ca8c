package io.sluice.nexmark;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The columns of the three event streams, named as in the Nexmark queries; times are INT64 epoch millis. Column
 * indexes are constants so the generator writes by position.
 */
public final class NexmarkSchemas {
    public static final int PERSON_ID = 0;
    public static final int PERSON_NAME = 1;
    public static final int PERSON_EMAIL = 2;
    public static final int PERSON_CREDIT_CARD = 3;
    public static final int PERSON_CITY = 4;
    public static final int PERSON_STATE = 5;
    public static final int PERSON_DATE_TIME = 6;
    public static final int PERSON_EXTRA = 7;

    public static final int AUCTION_ID = 0;
    public static final int AUCTION_ITEM_NAME = 1;
    public static final int AUCTION_DESCRIPTION = 2;
    public static final int AUCTION_INITIAL_BID = 3;
    public static final int AUCTION_RESERVE = 4;
    public static final int AUCTION_DATE_TIME = 5;
    public static final int AUCTION_EXPIRES = 6;
    public static final int AUCTION_SELLER = 7;
    public static final int AUCTION_CATEGORY = 8;
    public static final int AUCTION_EXTRA = 9;

    public static final int BID_AUCTION = 0;
    public static final int BID_BIDDER = 1;
    public static final int BID_PRICE = 2;
    public static final int BID_DATE_TIME = 3;
    public static final int BID_EXTRA = 4;

    public static final Schema PERSON = Schema.of(Field.notNull("id", ColumnType.INT64),
        Field.notNull("name", ColumnType.UTF8), Field.notNull("emailAddress", ColumnType.UTF8),
        Field.notNull("creditCard", ColumnType.UTF8), Field.notNull("city", ColumnType.UTF8),
        Field.notNull("state", ColumnType.UTF8), Field.notNull("dateTime", ColumnType.INT64),
        Field.notNull("extra", ColumnType.UTF8));

    public static final Schema AUCTION = Schema.of(Field.notNull("id", ColumnType.INT64),
        Field.notNull("itemName", ColumnType.UTF8), Field.notNull("description", ColumnType.UTF8),
        Field.notNull("initialBid", ColumnType.INT64), Field.notNull("reserve", ColumnType.INT64),
        Field.notNull("dateTime", ColumnType.INT64), Field.notNull("expires", ColumnType.INT64),
        Field.notNull("seller", ColumnType.INT64), Field.notNull("category", ColumnType.INT64),
        Field.notNull("extra", ColumnType.UTF8));

    public static final Schema BID = Schema.of(Field.notNull("auction", ColumnType.INT64),
        Field.notNull("bidder", ColumnType.INT64), Field.notNull("price", ColumnType.INT64),
        Field.notNull("dateTime", ColumnType.INT64), Field.notNull("extra", ColumnType.UTF8));

    private NexmarkSchemas() {
    }

    /** The schema of {@code kind}'s stream. */
    public static Schema of(final EventKind kind) {
        return switch (kind) {
            case PERSON -> PERSON;
            case AUCTION -> AUCTION;
            case BID -> BID;
        };
    }
}
