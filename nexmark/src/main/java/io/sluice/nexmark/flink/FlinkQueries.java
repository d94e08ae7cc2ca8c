package io.sluice.nexmark.flink;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.nexmark.NexmarkConfig;
import io.sluice.nexmark.NexmarkQuery;

/**
 * The Nexmark queries on Flink's DataStream API, producing rows of the same schemas as Sluice's. Event-time queries
 * use Flink's own windows over bounded-out-of-orderness watermarks of {@link NexmarkQuery#LATENESS}, and keep only the
 * windows within {@link NexmarkQuery#cutoff}, as Sluice's do.
 */
public final class FlinkQueries {
    private FlinkQueries() {
    }

    /** {@code query} over the event streams of {@code config}, as rows of the query's output schema. */
    public static DataStream<Row> build(final NexmarkQuery query, final StreamExecutionEnvironment env,
                                        final NexmarkConfig config) {
        final RowTypeInfo type = rowType(query.output());
        final long cutoff = query.cutoff(config);
        return switch (query) {
            case Q0 -> bids(env, config).map(b -> Row.of(b.auction, b.bidder, b.price, b.dateTime, b.extra)).returns(type);
            case Q1 -> bids(env, config)
                .map(b -> Row.of(b.auction, b.bidder, b.price * NexmarkQuery.EURO_RATE, b.dateTime, b.extra)).returns(type);
            case Q2 -> bids(env, config).filter(b -> b.auction % NexmarkQuery.Q2_MODULUS == 0)
                .map(b -> Row.of(b.auction, b.price)).returns(type);
            case Q3 -> FlinkStatefulQueries.localItemSuggestion(env, config, type, NexmarkQuery.Q3_STATES,
                NexmarkQuery.Q3_CATEGORY);
            case Q4 -> FlinkStatefulQueries.averagePricePerCategory(env, config, type);
            case Q12 -> FlinkStatefulQueries.processingTimeWindows(env, config, type);
            case Q5 -> timed(bids(env, config), (b, t) -> b.dateTime)
                .keyBy(b -> b.auction, Types.LONG)
                .window(SlidingEventTimeWindows.of(NexmarkQuery.WINDOW, NexmarkQuery.SLIDE))
                .aggregate(new Count<>(), new CountRow(), Types.LONG, Types.LONG, type)
                .filter(r -> (Long) r.getField(1) <= cutoff)
                // each sliding window's rows carry its end - 1 as timestamp: one 2 s tumbling window holds them all
                .keyBy(r -> (Long) r.getField(0), Types.LONG)
                .window(TumblingEventTimeWindows.of(NexmarkQuery.SLIDE))
                .process(new KeepMax(), type);
            case Q7 -> timed(bids(env, config), (b, t) -> b.dateTime)
                .windowAll(TumblingEventTimeWindows.of(NexmarkQuery.WINDOW))
                .process(new HighestBids(), type)
                .filter(r -> NexmarkQuery.tumblingEnd((Long) r.getField(3)) <= cutoff);
            case Q8 -> newUsers(env, config, type, cutoff);
            case Q11 -> timed(bids(env, config), (b, t) -> b.dateTime)
                .keyBy(b -> b.bidder, Types.LONG)
                .window(EventTimeSessionWindows.withGap(NexmarkQuery.WINDOW))
                .aggregate(new Count<>(), new CountRow(), Types.LONG, Types.LONG, type)
                .filter(r -> (Long) r.getField(1) <= cutoff);
        };
    }

    private static DataStream<Row> newUsers(final StreamExecutionEnvironment env, final NexmarkConfig config,
                                            final RowTypeInfo type, final long cutoff) {
        final DataStream<Row> people = timed(persons(env, config), (p, t) -> p.dateTime)
            .keyBy(p -> p.id, Types.LONG)
            .window(TumblingEventTimeWindows.of(NexmarkQuery.WINDOW))
            .process(new ProcessWindowFunction<Person, Row, Long, TimeWindow>() {
                @Override
                public void process(final Long id, final Context context, final Iterable<Person> people,
                                    final Collector<Row> out) {
                    out.collect(Row.of(context.window().getStart(), context.window().getEnd(), id,
                        people.iterator().next().name));
                }
            }, type);
        final RowTypeInfo sellerType = new RowTypeInfo(Types.LONG, Types.LONG);
        final DataStream<Row> sellers = timed(auctions(env, config), (a, t) -> a.dateTime)
            .keyBy(a -> a.seller, Types.LONG)
            .window(TumblingEventTimeWindows.of(NexmarkQuery.WINDOW))
            .process(new ProcessWindowFunction<Auction, Row, Long, TimeWindow>() {
                @Override
                public void process(final Long seller, final Context context, final Iterable<Auction> auctions,
                                    final Collector<Row> out) {
                    out.collect(Row.of(context.window().getStart(), seller));
                }
            }, sellerType);
        return people.join(sellers)
            .where(p -> p.getField(0) + "/" + p.getField(2), Types.STRING)
            .equalTo(s -> s.getField(0) + "/" + s.getField(1))
            .window(TumblingEventTimeWindows.of(NexmarkQuery.WINDOW))
            .apply((p, s) -> p, type)
            .filter(r -> (Long) r.getField(1) <= cutoff);
    }

    /**
     * {@code events} with event-time timestamps and bounded-out-of-orderness watermarks, read by one reader so they come
     * in id (and event-time) order, as Sluice's source delivers them; the keyed operators after it still run at the
     * job's parallelism, and the timestamp assigner chains to the reader. A parallel generator source gives each reader
     * a contiguous range of ids: the later range runs ahead of the watermark, which follows the earlier one, so every
     * window held about half the stream until the first reader finished (Flink's q7 ran out of a 2 GB heap at 30M
     * events that way, and at 10M events q5 cost Flink twice the CPU). Queries without event time keep a reader per
     * parallel subtask: there the ranges only change which subtask generates an event.
     */
    private static <T> DataStream<T> timed(final DataStreamSource<T> events, final SerializableTimestampAssigner<T> time) {
        return events.setParallelism(1)
            .assignTimestampsAndWatermarks(WatermarkStrategy.<T>forBoundedOutOfOrderness(NexmarkQuery.LATENESS)
                .withTimestampAssigner(time));
    }

    /** The bids, from a reader per parallel subtask (each a contiguous range of ids). */
    static DataStreamSource<Bid> bids(final StreamExecutionEnvironment env, final NexmarkConfig config) {
        return source(env, EventFunction.bids(config), Bid.class, "bids");
    }

    /** The auctions, from a reader per parallel subtask (each a contiguous range of ids). */
    static DataStreamSource<Auction> auctions(final StreamExecutionEnvironment env, final NexmarkConfig config) {
        return source(env, EventFunction.auctions(config), Auction.class, "auctions");
    }

    /** The people, from a reader per parallel subtask (each a contiguous range of ids). */
    static DataStreamSource<Person> persons(final StreamExecutionEnvironment env, final NexmarkConfig config) {
        return source(env, EventFunction.persons(config), Person.class, "persons");
    }

    private static <T> DataStreamSource<T> source(final StreamExecutionEnvironment env, final EventFunction<T> function,
                                                  final Class<T> type, final String name) {
        return env.fromSource(new DataGeneratorSource<>(function, function.count(), TypeInformation.of(type)),
            WatermarkStrategy.noWatermarks(), name);
    }

    /** Flink's row type for a Sluice schema (INT64, FLOAT64 and UTF8 columns). */
    static RowTypeInfo rowType(final Schema schema) {
        final TypeInformation<?>[] types = new TypeInformation<?>[schema.fieldCount()];
        final String[] names = new String[schema.fieldCount()];
        for (int i = 0; i < types.length; i++) {
            final Field field = schema.field(i);
            names[i] = field.name();
            types[i] = field.type() == ColumnType.INT64 ? Types.LONG : field.type() == ColumnType.FLOAT64 ? Types.DOUBLE
                : field.type() == ColumnType.UTF8 ? Types.STRING : unsupported(field);
        }
        return new RowTypeInfo(types, names);
    }

    private static TypeInformation<?> unsupported(final Field field) {
        throw new IllegalArgumentException("column '" + field.name() + "' of type " + field.type() + " has no Flink mapping here");
    }

    /** COUNT(*) as an incremental window aggregate. */
    private static final class Count<T> implements AggregateFunction<T, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(final T value, final Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public Long getResult(final Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(final Long a, final Long b) {
            return a + b;
        }
    }

    /** (window_start, window_end, key, count). */
    private static final class CountRow extends ProcessWindowFunction<Long, Row, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long key, final Context context, final Iterable<Long> counts, final Collector<Row> out) {
            out.collect(Row.of(context.window().getStart(), context.window().getEnd(), key, counts.iterator().next()));
        }
    }

    /** The rows of one q5 window with its largest count. */
    private static final class KeepMax extends ProcessWindowFunction<Row, Row, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long start, final Context context, final Iterable<Row> rows, final Collector<Row> out) {
            long max = Long.MIN_VALUE;
            for (final Row row : rows) {
                max = Math.max(max, (Long) row.getField(3));
            }
            for (final Row row : rows) {
                if ((Long) row.getField(3) == max) {
                    out.collect(row);
                }
            }
        }
    }

    /** The bids of one q7 window with its highest price. */
    private static final class HighestBids extends ProcessAllWindowFunction<Bid, Row, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Context context, final Iterable<Bid> bids, final Collector<Row> out) {
            final List<Bid> highest = new ArrayList<>();
            long max = Long.MIN_VALUE;
            for (final Bid bid : bids) {
                if (bid.price > max) {
                    max = bid.price;
                    highest.clear();
                }
                if (bid.price == max) {
                    highest.add(bid);
                }
            }
            for (final Bid bid : highest) {
                out.collect(Row.of(bid.auction, bid.bidder, bid.price, bid.dateTime, bid.extra));
            }
        }
    }
}
