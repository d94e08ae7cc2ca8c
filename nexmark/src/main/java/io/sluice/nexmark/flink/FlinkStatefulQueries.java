package io.sluice.nexmark.flink;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import io.sluice.nexmark.NexmarkConfig;
import io.sluice.nexmark.NexmarkQuery;

/**
 * q3, q4 and q12 on Flink's DataStream API with keyed state and timers, the way a Flink user writes an unbounded
 * join or a processing-time window by hand. q4's per-category averages come out once, when the bounded input ends
 * (Flink then fires every event-time timer); q12's last window of each bidder comes out then too, since Flink drops
 * pending processing-time timers at the end of a bounded input.
 */
final class FlinkStatefulQueries {
    private static final long NONE = -1;

    private FlinkStatefulQueries() {
    }

    /** q3: persons and category-10 auctions joined on id = seller, keyed state on both sides, no time bound. */
    static DataStream<Row> localItemSuggestion(final StreamExecutionEnvironment env, final NexmarkConfig config,
                                               final RowTypeInfo type, final List<String> states, final long category) {
        return FlinkQueries.persons(env, config)
            .connect(FlinkQueries.auctions(env, config).filter(a -> a.category == category))
            .keyBy(p -> p.id, a -> a.seller, Types.LONG)
            .process(new SellerJoin(states), type);
    }

    /** q4: auctions and bids joined per auction (highest bid in the auction's lifetime), averaged per category. */
    static DataStream<Row> averagePricePerCategory(final StreamExecutionEnvironment env, final NexmarkConfig config,
                                                   final RowTypeInfo type) {
        return FlinkQueries.auctions(env, config)
            .connect(FlinkQueries.bids(env, config))
            .keyBy(a -> a.id, b -> b.auction, Types.LONG)
            .process(new HighestBid(), new RowTypeInfo(Types.LONG, Types.LONG, Types.LONG))
            .keyBy(r -> (Long) r.getField(0), Types.LONG)
            .process(new CategoryAverage(), type);
    }

    /** q12: bids per bidder per tumbling window of Flink's processing time. */
    static DataStream<Row> processingTimeWindows(final StreamExecutionEnvironment env, final NexmarkConfig config,
                                                 final RowTypeInfo type) {
        return FlinkQueries.bids(env, config).keyBy(b -> b.bidder, Types.LONG)
            .process(new ProcessingTimeCount(NexmarkQuery.WINDOW.toMillis()), type);
    }

    /** Per person id: the person (if a seller of interest, their name, city, state) or the auctions waiting for them. */
    private static final class SellerJoin extends KeyedCoProcessFunction<Long, Person, Auction, Row> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> states; // a serializable type: Flink serializes the function
        private transient ValueState<String[]> seller;
        private transient ValueState<Boolean> known;
        private transient ListState<Long> waiting;

        SellerJoin(final List<String> states) {
            this.states = new ArrayList<>(states);
        }

        @Override
        public void open(final OpenContext context) {
            seller = getRuntimeContext().getState(new ValueStateDescriptor<>("seller", Types.OBJECT_ARRAY(Types.STRING)));
            known = getRuntimeContext().getState(new ValueStateDescriptor<>("known", Types.BOOLEAN));
            waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", Types.LONG));
        }

        @Override
        public void processElement1(final Person person, final Context ctx, final Collector<Row> out) throws Exception {
            known.update(true);
            if (states.contains(person.state)) {
                seller.update(new String[] {person.name, person.city, person.state});
                for (final Long auction : waiting.get()) {
                    out.collect(Row.of(person.name, person.city, person.state, auction));
                }
            }
            waiting.clear();
        }

        @Override
        public void processElement2(final Auction auction, final Context ctx, final Collector<Row> out) throws Exception {
            if (known.value() == null) {
                waiting.add(auction.id);
                return;
            }
            final String[] s = seller.value();
            if (s != null) {
                out.collect(Row.of(s[0], s[1], s[2], auction.id));
            }
        }
    }

    /**
     * Per auction: its category and lifetime, and the highest price among its bids within the lifetime so far (or the
     * bids waiting for it); emits (category, sum change, count change) at every rise.
     */
    private static final class HighestBid extends KeyedCoProcessFunction<Long, Auction, Bid, Row> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<long[]> auction;
        private transient ListState<long[]> waiting;

        @Override
        public void open(final OpenContext context) {
            auction = getRuntimeContext().getState(new ValueStateDescriptor<>("auction",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
            waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement1(final Auction a, final Context ctx, final Collector<Row> out) throws Exception {
            long highest = NONE;
            for (final long[] bid : waiting.get()) {
                if (bid[0] >= a.dateTime && bid[0] <= a.expires) {
                    highest = Math.max(highest, bid[1]);
                }
            }
            waiting.clear();
            auction.update(new long[] {a.category, a.dateTime, a.expires, highest});
            if (highest != NONE) {
                out.collect(Row.of(a.category, highest, 1L));
            }
        }

        @Override
        public void processElement2(final Bid bid, final Context ctx, final Collector<Row> out) throws Exception {
            final long[] a = auction.value();
            if (a == null) {
                waiting.add(new long[] {bid.dateTime, bid.price});
                return;
            }
            if (bid.dateTime < a[1] || bid.dateTime > a[2] || bid.price <= a[3]) {
                return;
            }
            final long previous = a[3];
            a[3] = bid.price;
            auction.update(a);
            out.collect(Row.of(a[0], bid.price - Math.max(previous, 0), previous == NONE ? 1L : 0L));
        }
    }

    /** Per category: the sum and count of its auctions' highest bids; the average comes out at the end of the input. */
    private static final class CategoryAverage extends KeyedProcessFunction<Long, Row, Row> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<long[]> totals;

        @Override
        public void open(final OpenContext context) {
            totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(final Row change, final Context ctx, final Collector<Row> out) throws Exception {
            long[] t = totals.value();
            if (t == null) {
                t = new long[2];
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            t[0] += (Long) change.getField(1);
            t[1] += (Long) change.getField(2);
            totals.update(t);
        }

        @Override
        public void onTimer(final long timestamp, final OnTimerContext ctx, final Collector<Row> out) throws Exception {
            final long[] t = totals.value();
            out.collect(Row.of(ctx.getCurrentKey(), (double) t[0] / (double) t[1]));
        }
    }

    /**
     * A tumbling processing-time window per key, by hand: the count of the key's current window, emitted by a
     * processing-time timer at the window's end, or by the next element if it comes in a later window first, or at
     * the end of the input (an event-time timer at the end of time, which Flink fires then).
     */
    private static final class ProcessingTimeCount extends KeyedProcessFunction<Long, Bid, Row> {
        private static final long serialVersionUID = 1L;
        private final long size;
        private transient ValueState<long[]> window;

        ProcessingTimeCount(final long size) {
            this.size = size;
        }

        @Override
        public void open(final OpenContext context) {
            window = getRuntimeContext().getState(new ValueStateDescriptor<>("window",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(final Bid bid, final Context ctx, final Collector<Row> out) throws Exception {
            final long now = ctx.timerService().currentProcessingTime();
            final long start = now - Math.floorMod(now, size);
            long[] w = window.value();
            if (w != null && w[0] != start) {
                emit(w, ctx.getCurrentKey(), out);
                w = null;
            }
            if (w == null) {
                w = new long[] {start, 0};
                ctx.timerService().registerProcessingTimeTimer(start + size);
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            w[1]++;
            window.update(w);
        }

        @Override
        public void onTimer(final long timestamp, final OnTimerContext ctx, final Collector<Row> out) throws Exception {
            final long[] w = window.value();
            if (w != null && (ctx.timeDomain() == TimeDomain.EVENT_TIME || w[0] + size == timestamp)) {
                emit(w, ctx.getCurrentKey(), out);
                window.clear();
            }
        }

        private void emit(final long[] w, final long key, final Collector<Row> out) {
            out.collect(Row.of(w[0], w[0] + size, key, w[1]));
        }
    }
}
