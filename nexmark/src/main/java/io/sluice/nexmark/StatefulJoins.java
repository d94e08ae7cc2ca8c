package io.sluice.nexmark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.engine.dataset.Expr.split;

import java.util.List;
import java.util.Optional;

import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.state.State;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * q3 and q4: unbounded joins of two event streams, incremental over Sluice's keyed state ({@code mapWithState}).
 * Both sides go into one stream keyed by the join key, so the operator sees every row of the key in arrival order,
 * whichever source delivered it first: a row whose partner has not arrived yet waits in the key's state (a seller's
 * person and an auction's first bid come later in event-id order, but the sources are cut into batches independently
 * and backpressure may hold one back). Neither query has a time bound, as in the Nexmark SQL: the state keeps one
 * small row per person (q3) or per auction (q4) for the life of the stream, plus the rows still waiting for their
 * partner (none once both sides caught up).
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
     * [dateTime, expires], as a table updated every batch (the rows after the last batch are the result). State per
     * auction: its category, start, expiry and highest price so far (or the bids waiting for it); each rise of an
     * auction's highest price goes on as a change of its category's sum (and count, for its first bid), kept per
     * category by {@code updateStateByKey}.
     */
    static DStream averagePricePerCategory(final NexmarkStreams streams) {
        final DStream auctions = streams.auctions().select(col("id").as("key"), col("category").as("category"),
            col("dateTime").as("start"), col("expires").as("expires"), lit(NONE).as("price"));
        final DStream bids = streams.bids().select(col("auction").as("key"), lit(NONE).as("category"),
            col("dateTime").as("start"), lit(0L).as("expires"), col("price").as("price"));
        final Schema state = Schema.of(Field.notNull("category", ColumnType.INT64), Field.notNull("start", ColumnType.INT64),
            Field.notNull("expires", ColumnType.INT64), Field.notNull("max", ColumnType.INT64),
            Field.notNull("waiting", ColumnType.UTF8));
        final Schema change = Schema.of(Field.notNull("category", ColumnType.INT64),
            Field.notNull("sum_change", ColumnType.INT64), Field.notNull("count_change", ColumnType.INT64));
        final Schema totals = Schema.of(Field.notNull("sum", ColumnType.INT64), Field.notNull("count", ColumnType.INT64));
        return auctions.union(bids)
            .mapWithState(List.of("key"), StateSpec.function(StatefulJoins::highestBid, state, change))
            .updateStateByKey(List.of("category"), totals, StatefulJoins::addChanges)
            .select(col("category"), col("sum").cast(ColumnType.FLOAT64).div(col("count").cast(ColumnType.FLOAT64))
                .as("avg"));
    }

    /** Values: category (NONE for a bid), start (the bid's dateTime), expires, price (NONE for an auction). */
    private static Object[] highestBid(final Object[] key, final Optional<Object[]> value, final State state) {
        final Object[] row = value.orElseThrow();
        final Object[] current = state.exists() ? state.get() : new Object[] {NONE, 0L, 0L, NONE, ""};
        final long category = (Long) current[0];
        final long max = (Long) current[3];
        if ((Long) row[0] != NONE) {
            // The auction: the bids that came before it are matched now.
            final long start = (Long) row[1];
            final long expires = (Long) row[2];
            long highest = NONE;
            final String waiting = (String) current[4];
            if (!waiting.isEmpty()) {
                for (final String bid : waiting.split(SEPARATOR)) {
                    final int colon = bid.indexOf(':');
                    final long time = Long.parseLong(bid.substring(0, colon));
                    if (time >= start && time <= expires) {
                        highest = Math.max(highest, Long.parseLong(bid.substring(colon + 1)));
                    }
                }
            }
            state.update(new Object[] {row[0], start, expires, highest, ""});
            return highest == NONE ? null : new Object[] {row[0], highest, 1L};
        }
        final long time = (Long) row[1];
        final long price = (Long) row[3];
        if (category == NONE) {
            final String waiting = (String) current[4];
            final String bid = time + ":" + price;
            state.update(new Object[] {NONE, 0L, 0L, NONE, waiting.isEmpty() ? bid : waiting + SEPARATOR + bid});
            return null;
        }
        if (time < (Long) current[1] || time > (Long) current[2] || price <= max) {
            return null;
        }
        state.update(new Object[] {category, current[1], current[2], price, ""});
        return new Object[] {category, price - Math.max(max, 0), max == NONE ? 1L : 0L};
    }

    /** Values: sum_change, count_change. */
    private static Optional<Object[]> addChanges(final Object[] key, final List<Object[]> changes,
                                                 final Optional<Object[]> previous) {
        long sum = previous.map(p -> (Long) p[0]).orElse(0L);
        long count = previous.map(p -> (Long) p[1]).orElse(0L);
        for (final Object[] change : changes) {
            sum += (Long) change[0];
            count += (Long) change[1];
        }
        return Optional.of(new Object[] {sum, count});
    }
}
