package io.sluice.nexmark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.engine.dataset.Expr.split;

import java.util.List;
import java.util.Optional;

import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.state.LongColumnsFold;
import io.sluice.engine.stream.state.LongColumnsRow;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.engine.stream.state.State;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * q3 and q4: unbounded joins of two event streams, incremental over Sluice's keyed state ({@code mapWithState} for
 * q3, the primitive {@code mapWithLongColumns} for q4). Both sides go into one stream keyed by the join key, so the
 * operator sees every row of the key in arrival order, whichever source delivered it first: a row whose partner has
 * not arrived yet waits, in the key's state (q3) or deferred by the state (q4) (a seller's person and an auction's
 * first bid come later in event-id order, but the sources are cut into batches independently and backpressure may
 * hold one back). Neither query has a time bound, as in the Nexmark SQL: the state keeps one small row per person
 * (q3) or per auction (q4) for the life of the stream, plus the rows still waiting for their partner (none once both
 * sides caught up).
 */
final class StatefulJoins {
    private static final long NONE = -1;
    private static final String SEPARATOR = ",";
    // Every column of the two sides of a union goes through as(...), so both sides have the same (nullable) fields.

    private StatefulJoins() {
    }

    /**
     * q3: name, city and state of every seller in {@link NexmarkQuery#Q3_STATES} with the id of each auction of theirs in
     * category {@link NexmarkQuery#Q3_CATEGORY}, emitted once both have arrived. State per person id: whether the person is one
     * of those sellers (and their name, city, state if so), or the ids of auctions waiting for the person.
     */
    static DStream localItemSuggestion(final NexmarkStreams streams) {
        final DStream people = streams.persons().select(col("id").as("key"), lit(NONE).as("auction"),
            col("name").as("name"), col("city").as("city"), col("state").as("state"));
        final DStream auctions = streams.auctions().filter(col("category").eq(lit(NexmarkQuery.Q3_CATEGORY)))
            .select(col("seller").as("key"), col("id").as("auction"), lit("").as("name"), lit("").as("city"),
                lit("").as("state"));
        final Schema state = Schema.of(Field.notNull("known", ColumnType.INT64), Field.notNull("name", ColumnType.UTF8),
            Field.notNull("city", ColumnType.UTF8), Field.notNull("state", ColumnType.UTF8),
            Field.notNull("waiting", ColumnType.UTF8));
        final Schema mapped = Schema.of(Field.notNull("name", ColumnType.UTF8), Field.notNull("city", ColumnType.UTF8),
            Field.notNull("state", ColumnType.UTF8), Field.notNull("ids", ColumnType.UTF8));
        return people.union(auctions)
            .mapWithState(List.of("key"), StateSpec.function(StatefulJoins::sellerAndAuction, state, mapped))
            .flatMap(split(col("ids"), SEPARATOR), "id_text", "name", "city", "state")
            .select(col("name"), col("city"), col("state"), col("id_text").cast(ColumnType.INT64).as("id"));
    }

    /** Values: auction (NONE for a person), name, city, state. State: known (1 seller, 0 other person, NONE), ... */
    private static Object[] sellerAndAuction(final Object[] key, final Optional<Object[]> value, final State state) {
        final Object[] row = value.orElseThrow();
        final long auction = (Long) row[0];
        final Object[] current = state.exists() ? state.get() : new Object[] {NONE, "", "", "", ""};
        final long known = (Long) current[0];
        if (auction == NONE) {
            final boolean seller = NexmarkQuery.Q3_STATES.contains((String) row[3]);
            final String waiting = (String) current[4];
            // Only a matching seller's details are kept: for the others, that the person exists is enough.
            state.update(seller ? new Object[] {1L, row[1], row[2], row[3], ""} : new Object[] {0L, "", "", "", ""});
            return seller && !waiting.isEmpty() ? new Object[] {row[1], row[2], row[3], waiting} : null;
        }
        if (known == NONE) {
            final String waiting = (String) current[4];
            state.update(new Object[] {NONE, "", "", "", waiting.isEmpty() ? Long.toString(auction)
                : waiting + SEPARATOR + auction});
            return null;
        }
        return known == 1 ? new Object[] {current[1], current[2], current[3], Long.toString(auction)} : null;
    }

    /**
     * q4: per category, the average over auctions of their highest bid among the bids within the auction's
     * [dateTime, expires], as a table updated every batch (the rows after the last batch are the result). Primitive
     * state per auction ({@code mapWithLongColumns}, in place, no object per row): its category, start, expiry and
     * highest price so far; a bid that comes before its auction is deferred until the auction is there. Each rise of
     * an auction's highest price goes on as a change of its category's sum (and count, for its first bid), summed per
     * category in a second primitive state whose snapshot is the table.
     */
    static DStream averagePricePerCategory(final NexmarkStreams streams) {
        // value columns: category (NONE for a bid), time, and the expiry of an auction or the price of a bid
        final DStream auctions = streams.auctions().select(col("id").as("key"), col("category").as("category"),
            col("dateTime").as("time"), col("expires").as("amount"));
        final DStream bids = streams.bids().select(col("auction").as("key"), lit(NONE).as("category"),
            col("dateTime").as("time"), col("price").as("amount"));
        // The join has no time bound (as Nexmark's SQL): bids wait for their auction however far its source lags.
        final LongColumnsSpec highest = LongColumnsSpec.of(List.of("category", "start", "expires", "max"),
            List.of("category", "sum_change", "count_change"), StatefulJoins::highestBid).maxDeferredRows(Integer.MAX_VALUE);
        final LongColumnsSpec totals = LongColumnsSpec.of(List.of("sum", "count"), List.of("category"),
            StatefulJoins::addChange);
        return auctions.union(bids)
            .mapWithLongColumns("key", List.of("category", "time", "amount"), highest)
            .mapWithLongColumns("category", List.of("sum_change", "count_change"), totals)
            .stateSnapshots()
            .select(col("key").as("category"), col("sum").cast(ColumnType.FLOAT64).div(col("count").cast(ColumnType.FLOAT64))
                .as("avg"));
    }

    /** Values: category (NONE for a bid), time, expires (auction) or price (bid). State: category, start, expires, max. */
    private static int highestBid(final LongColumnsRow row) {
        final long category = row.value(0);
        if (category != NONE) {
            row.state(0, category);
            row.state(1, row.value(1));
            row.state(2, row.value(2));
            row.state(3, NONE);
            return LongColumnsFold.KEEP;
        }
        if (row.isNew()) {
            return LongColumnsFold.DEFER; // the bid came before its auction: folded again once the auction is there
        }
        final long time = row.value(1);
        final long price = row.value(2);
        final long max = row.state(3);
        if (time < row.state(1) || time > row.state(2) || price <= max) {
            return LongColumnsFold.KEEP;
        }
        row.state(3, price);
        row.out(0, row.state(0));
        row.out(1, price - Math.max(max, 0));
        row.out(2, max == NONE ? 1 : 0);
        return LongColumnsFold.EMIT;
    }

    /** Values: sum_change, count_change. State: sum, count. */
    private static int addChange(final LongColumnsRow row) {
        row.state(0, row.state(0) + row.value(0));
        row.state(1, row.state(1) + row.value(1));
        return LongColumnsFold.KEEP;
    }
}
