package io.sluice.nexmark.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.nexmark.NexmarkConfig;
import io.sluice.nexmark.NexmarkQuery;

/** The Nexmark queries on Flink's DataStream API, producing rows of the same schemas as Sluice's. */
public final class FlinkQueries {
    private FlinkQueries() {
    }

    /** The bids of {@code config}'s stream as a bounded, parallel Flink source. */
    public static DataStream<Bid> bids(final StreamExecutionEnvironment env, final NexmarkConfig config) {
        final EventFunction<Bid> function = EventFunction.bids(config);
        return env.fromSource(new DataGeneratorSource<>(function, function.count(), TypeInformation.of(Bid.class)),
            WatermarkStrategy.noWatermarks(), "bids");
    }

    /** {@code query} over {@code bids}, as rows of the query's output schema. */
    public static DataStream<Row> build(final NexmarkQuery query, final DataStream<Bid> bids) {
        final RowTypeInfo type = rowType(query.output());
        return switch (query) {
            case Q0 -> bids.map(b -> Row.of(b.auction, b.bidder, b.price, b.dateTime, b.extra)).returns(type);
            case Q1 -> bids.map(b -> Row.of(b.auction, b.bidder, b.price * NexmarkQuery.EURO_RATE, b.dateTime, b.extra))
                .returns(type);
            case Q2 -> bids.filter(b -> b.auction % NexmarkQuery.Q2_MODULUS == 0).map(b -> Row.of(b.auction, b.price))
                .returns(type);
        };
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
}
