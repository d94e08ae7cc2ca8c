package io.sluice.nexmark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.hopping;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.session;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.tumbling;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.Reducer;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.sql.SqlSession;

/**
 * The Nexmark queries Sluice runs, each defined once on the DStream API; the Flink peer defines the same ones in
 * {@code io.sluice.nexmark.flink.FlinkQueries}. Output schemas are shared so both engines' rows compare.
 */
public enum NexmarkQuery {
    /** Pass-through: every bid. */
    Q0(NexmarkSchemas.BID),
    /** Currency conversion: every bid with its price in euros ({@code price * 0.908}, FLOAT64). */
    Q1(Schema.of(Field.notNull("auction", ColumnType.INT64), Field.notNull("bidder", ColumnType.INT64),
        Field.notNull("price", ColumnType.FLOAT64), Field.notNull("dateTime", ColumnType.INT64),
        Field.notNull("extra", ColumnType.UTF8))),
    /** Selection: auction and price of the bids on every 123rd auction. */
    Q2(Schema.of(Field.notNull("auction", ColumnType.INT64), Field.notNull("price", ColumnType.INT64))),
    /** Local item suggestion: sellers in OR, ID or CA with each of their auctions in category 10 (unbounded join). */
    Q3(Schema.of(Field.notNull("name", ColumnType.UTF8), Field.notNull("city", ColumnType.UTF8),
        Field.notNull("state", ColumnType.UTF8), Field.notNull("id", ColumnType.INT64)), EventKind.PERSON,
        EventKind.AUCTION),
    /**
     * Average price per category: per auction the highest bid within its lifetime, averaged per category. An updating
     * table: the output after the last batch (Sluice) or at the end of the input (Flink) is the result.
     */
    Q4(Schema.of(Field.notNull("category", ColumnType.INT64), Field.notNull("avg", ColumnType.FLOAT64)),
        EventKind.AUCTION, EventKind.BID),
    /** Hot items: bids per auction in 10 s windows sliding by 2 s; per window the auctions with the most bids. */
    Q5(windowed(Field.notNull("auction", ColumnType.INT64), Field.notNull("num", ColumnType.INT64))),
    /** Highest bid: per 10 s tumbling window, the bids with the highest price. */
    Q7(NexmarkSchemas.BID),
    /** New users: people who created an auction in the 10 s tumbling window they registered in. */
    Q8(windowed(Field.notNull("id", ColumnType.INT64), Field.notNull("name", ColumnType.UTF8)), EventKind.PERSON,
        EventKind.AUCTION),
    /** User sessions: bids per bidder per session, a session ending after 10 s without a bid. */
    Q11(windowed(Field.notNull("bidder", ColumnType.INT64), Field.notNull("num", ColumnType.INT64))),
    /**
     * Processing-time windows: bids per bidder per 10 s tumbling window of the engine's clock. Windows depend on when
     * events were processed, so engines compare on the per-bidder totals over all windows.
     */
    Q12(windowed(Field.notNull("bidder", ColumnType.INT64), Field.notNull("num", ColumnType.INT64)));

    /** Dollars to euros, as in the Nexmark definition of q1. */
    public static final double EURO_RATE = 0.908;
    /** q2 keeps the auctions whose id is a multiple of this. */
    public static final long Q2_MODULUS = 123;

    /** q3's states: sellers living in one of these. */
    public static final List<String> Q3_STATES = List.of("OR", "ID", "CA");
    /** q3's category. */
    public static final long Q3_CATEGORY = 10;

    /** Watermark of every event-time query: the largest event time seen minus 4 s, as in the Nexmark definitions. */
    public static final Duration LATENESS = Duration.ofSeconds(4);
    /** The window size of q5, q7 and q8; the session gap of q11. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** q5's slide. */
    public static final Duration SLIDE = Duration.ofSeconds(2);

    private final Schema output;
    private final Set<EventKind> inputs;

    NexmarkQuery(final Schema output, final EventKind... inputs) {
        this.output = output;
        this.inputs = inputs.length == 0 ? EnumSet.of(EventKind.BID) : EnumSet.copyOf(Arrays.asList(inputs));
    }

    private static Schema windowed(final Field... fields) {
        final Field[] all = new Field[fields.length + 2];
        all[0] = Field.notNull("window_start", ColumnType.INT64);
        all[1] = Field.notNull("window_end", ColumnType.INT64);
        System.arraycopy(fields, 0, all, 2, fields.length);
        return Schema.of(all);
    }

    public Schema output() {
        return output;
    }

    /** The event streams the query reads. */
    public Set<EventKind> inputs() {
        return EnumSet.copyOf(inputs);
    }

    /** Whether the output is a table updated at every batch, whose last batch's rows are the result (q4). */
    public boolean updating() {
        return this == Q4;
    }

    /**
     * Whether the query windows by processing time (q12): its rows are compared as per-key totals over all windows
     * ({@link KeyTotals}), the key being column 2 and the count column 3.
     */
    public boolean processingTime() {
        return this == Q12;
    }

    /** Whether the query windows by event time (its output is compared up to the final watermark). */
    public boolean eventTime() {
        return this == Q5 || this == Q7 || this == Q8 || this == Q11;
    }

    /**
     * The newest window end both engines have surely closed: the smallest final watermark over the query's inputs
     * (each input's last event time minus {@link #LATENESS}). Sluice emits a window once its watermark passes the
     * window's end; Flink emits every window at the end of its bounded input. Rows of windows ending later are left
     * out on both sides, so the two outputs compare; {@link Long#MAX_VALUE} for queries without windows.
     */
    public long cutoff(final NexmarkConfig config) {
        if (!eventTime()) {
            return Long.MAX_VALUE;
        }
        long cutoff = Long.MAX_VALUE;
        for (final EventKind kind : inputs) {
            final long last = kind.eventId(kind.countBelow(config.maxEvents()) - 1);
            cutoff = Math.min(cutoff, config.timestamp(last) - LATENESS.toMillis());
        }
        return cutoff;
    }

    /**
     * Whether a row of this query's output lies within {@link #cutoff}: its window ends at or before it (q7's rows
     * are bids: their tumbling window's end).
     */
    public boolean withinCutoff(final long windowEndOrDateTime, final long cutoff) {
        return this == Q7 ? tumblingEnd(windowEndOrDateTime) <= cutoff : windowEndOrDateTime <= cutoff;
    }

    /** The end of the 10 s tumbling window holding {@code dateTime}. */
    public static long tumblingEnd(final long dateTime) {
        return Math.floorDiv(dateTime, WINDOW.toMillis()) * WINDOW.toMillis() + WINDOW.toMillis();
    }

    /** The query's name on the command line and in reports: {@code q0}, {@code q1}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label such as {@code q5} (any case). */
    public static NexmarkQuery parse(final String text) {
        for (final NexmarkQuery query : values()) {
            if (query.label().equalsIgnoreCase(text.trim())) {
                return query;
            }
        }
        throw new IllegalArgumentException("unknown query '" + text + "': expected one of "
            + Arrays.stream(values()).map(NexmarkQuery::label).toList());
    }

    /**
     * The query's SQL text (Nexmark's, over stream {@code bid}) where the {@code sql} module runs it on a stream: the
     * stateless queries, planned once and run per micro-batch ({@link SqlSession#perBatch}), and q11's SESSION window
     * ({@link SqlSession#stream}); null for the others (q5, q7 and q8 join an aggregate back to a stream, q3 and q4
     * are unbounded joins, q12 windows by processing time: none of which streaming SQL runs).
     */
    public String sql() {
        return switch (this) {
            case Q0 -> "SELECT auction, bidder, price, `dateTime`, extra FROM bid";
            case Q1 -> "SELECT auction, bidder, 0.908 * price AS price, `dateTime`, extra FROM bid";
            case Q2 -> "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0";
            case Q11 -> "SELECT window_start, window_end, bidder, COUNT(*) AS num"
                + " FROM TABLE(SESSION(TABLE bid, DESCRIPTOR(`dateTime`), DESCRIPTOR(bidder), INTERVAL '10' SECOND))"
                + " GROUP BY window_start, window_end, bidder";
            default -> null;
        };
    }

    /**
     * The query's {@link #sql} over {@code streams} through {@code session}; an event-time query's stream gets the
     * watermark of {@link #LATENESS} on {@code dateTime} and its windows are cut at {@code cutoff} as {@link #on}'s.
     */
    public DStream onSql(final SqlSession session, final NexmarkStreams streams, final long cutoff) {
        final String text = sql();
        if (text == null) {
            throw new UnsupportedOperationException("query " + label() + " has no SQL form the sql module runs on a stream");
        }
        if (!eventTime()) {
            return session.perBatch(streams.bids(), "bid", text);
        }
        return session.registerStream("bid", streams.bids(), "dateTime", LATENESS).stream(text)
            .filter(col("window_end").le(lit(cutoff)));
    }

    /** The query over {@code streams}, its windowed output cut at {@code cutoff} ({@link #cutoff}). */
    public DStream on(final NexmarkStreams streams, final long cutoff) {
        final DStream bids = streams.bids();
        return switch (this) {
            case Q0 -> bids.select("auction", "bidder", "price", "dateTime", "extra");
            case Q1 -> bids.select(col("auction"), col("bidder"), col("price").times(lit(EURO_RATE)).as("price"),
                col("dateTime"), col("extra"));
            case Q2 -> bids.filter(col("auction").mod(lit(Q2_MODULUS)).eq(lit(0L))).select("auction", "price");
            case Q5 -> bids.withWatermark("dateTime", LATENESS)
                .groupByWindow(hopping("dateTime", WINDOW, SLIDE), "auction").agg(Agg.count().as("num"))
                .filter(col("window_end").le(lit(cutoff)))
                // a window's rows all come in the batch that closes it: its maximum is per batch
                .transform(counts -> keepMax(counts, "num"));
            case Q7 -> highestBids(bids, cutoff);
            case Q8 -> newUsers(streams, cutoff);
            case Q3 -> StatefulJoins.localItemSuggestion(streams);
            case Q4 -> StatefulJoins.averagePricePerCategory(streams);
            case Q11 -> bids.withWatermark("dateTime", LATENESS)
                .groupByWindow(session("dateTime", WINDOW), "bidder").agg(Agg.count().as("num"))
                .filter(col("window_end").le(lit(cutoff)));
            case Q12 -> bids.countByKey("bidder")
                .reduceByKeyAndWindow(List.of("bidder"), Reducer.sum("count"), WINDOW, WINDOW)
                .transformWithTime((time, counts) -> counts.select(lit(time - WINDOW.toMillis()).as("window_start"),
                    lit(time).as("window_end"), col("bidder"), col("sum_count").as("num")));
        };
    }

    /** The rows of {@code windows} whose {@code column} is the largest of their window. */
    private static Dataset keepMax(final Dataset windows, final String column) {
        final Dataset max = windows.groupBy("window_start").agg(Agg.max(column).as("max_" + column));
        return windows.join(max, List.of("window_start", column), List.of("window_start", "max_" + column), JoinType.INNER)
            .select("window_start", "window_end", "auction", column);
    }

    /**
     * q7: the maximum price per tumbling window, joined back to the bids of that window with that price. The join
     * keeps bids until the maxima's watermark passes their window (bids within the window before its end).
     */
    private static DStream highestBids(final DStream bids, final long cutoff) {
        final DStream watermarked = bids.withWatermark("dateTime", LATENESS);
        final DStream maxima = watermarked.groupByWindow(tumbling("dateTime", WINDOW)).agg(Agg.max("price").as("max_price"))
            .filter(col("window_end").le(lit(cutoff)))
            .withWatermark("window_end", Duration.ZERO);
        return watermarked.joinWithinTime(maxima, List.of("price"), List.of("max_price"), WINDOW, Duration.ZERO)
            .filter(col("dateTime").ge(col("window_start")).and(col("dateTime").lt(col("window_end"))))
            .select("auction", "bidder", "price", "dateTime", "extra");
    }

    /** q8: people and sellers per tumbling window, joined on id = seller and the same window. */
    private static DStream newUsers(final NexmarkStreams streams, final long cutoff) {
        final DStream people = streams.persons().withWatermark("dateTime", LATENESS)
            .groupByWindow(tumbling("dateTime", WINDOW), "id", "name").agg(Agg.count().as("registrations"))
            .filter(col("window_end").le(lit(cutoff)))
            .withWatermark("window_end", Duration.ZERO);
        final DStream sellers = streams.auctions().withWatermark("dateTime", LATENESS)
            .groupByWindow(tumbling("dateTime", WINDOW), "seller").agg(Agg.count().as("auctions"))
            .filter(col("window_end").le(lit(cutoff)))
            .select(col("window_start").as("seller_start"), col("window_end").as("seller_end"), col("seller"))
            .withWatermark("seller_end", Duration.ZERO);
        return people.joinWithinTime(sellers, List.of("id", "window_start"), List.of("seller", "seller_start"),
                Duration.ZERO, Duration.ZERO)
            .select("window_start", "window_end", "id", "name");
    }
}
