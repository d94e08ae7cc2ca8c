package io.sluice.nexmark;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;

import java.util.Locale;

import io.sluice.engine.stream.dstream.DStream;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

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
    Q2(Schema.of(Field.notNull("auction", ColumnType.INT64), Field.notNull("price", ColumnType.INT64)));

    /** Dollars to euros, as in the Nexmark definition of q1. */
    public static final double EURO_RATE = 0.908;
    /** q2 keeps the auctions whose id is a multiple of this. */
    public static final long Q2_MODULUS = 123;

    private final Schema output;

    NexmarkQuery(final Schema output) {
        this.output = output;
    }

    public Schema output() {
        return output;
    }

    /** The query's name on the command line and in reports: {@code q0}, {@code q1}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code q0}..{@code q2} (any case). */
    public static NexmarkQuery parse(final String text) {
        for (final NexmarkQuery query : values()) {
            if (query.label().equalsIgnoreCase(text.trim())) {
                return query;
            }
        }
        throw new IllegalArgumentException("unknown query '" + text + "': expected one of q0, q1, q2");
    }

    /** The query over the bid stream. */
    public DStream on(final DStream bids) {
        return switch (this) {
            case Q0 -> bids.select("auction", "bidder", "price", "dateTime", "extra");
            case Q1 -> bids.select(col("auction"), col("bidder"), col("price").times(lit(EURO_RATE)).as("price"),
                col("dateTime"), col("extra"));
            case Q2 -> bids
                // auction % 123 == 0, written with integer division (the DSL has no modulo operator yet)
                .filter(col("auction").minus(col("auction").div(lit(Q2_MODULUS)).times(lit(Q2_MODULUS))).eq(lit(0L)))
                .select("auction", "price");
        };
    }
}
