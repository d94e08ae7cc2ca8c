package io.sluice.sql;

import java.time.Duration;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.WatermarkedDStream;
import io.sluice.memory.ColumnType;

/**
 * A registered {@link DStream} as a Calcite table: its row type, with the INT64 epoch-millis event-time column as a
 * TIMESTAMP(3) (so that Calcite accepts it in TUMBLE, HOP, SESSION and DESCRIPTOR), and the watermark's allowed
 * lateness. Calcite never reads it.
 */
final class StreamTable extends AbstractTable {
    private final DStream stream;
    private final String eventTime;
    private final Duration lateness;
    private WatermarkedDStream watermarked;

    StreamTable(final String name, final DStream stream, final String eventTime, final Duration lateness) {
        if (!stream.schema().contains(eventTime)) {
            throw new IllegalArgumentException("stream '" + name + "': event-time column '" + eventTime + "' not in schema="
                + stream.schema());
        }
        if (stream.schema().field(eventTime).type() != ColumnType.INT64) {
            throw new IllegalArgumentException("stream '" + name + "': event-time column '" + eventTime + "' has type="
                + stream.schema().field(eventTime).type() + ", expected INT64 epoch millis");
        }
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("stream '" + name + "': allowedLateness=" + lateness + " must be >= 0");
        }
        this.stream = stream;
        this.eventTime = eventTime;
        this.lateness = lateness;
    }

    DStream stream() {
        return stream;
    }

    /** The event-time column (INT64 epoch millis). */
    String eventTime() {
        return eventTime;
    }

    /**
     * The stream under its watermark, created by the first query that reads it and shared by all later ones (of this
     * session and of its {@code withTable} copies): one watermark per registration, so a query that fails to plan
     * leaves no watermark operator of its own in the graph.
     */
    synchronized WatermarkedDStream watermarked() {
        if (watermarked == null) {
            watermarked = stream.withWatermark(eventTime, lateness);
        }
        return watermarked;
    }

    @Override
    public RelDataType getRowType(final RelDataTypeFactory factory) {
        return SqlTypes.rowType(factory, stream.schema(), eventTime);
    }
}
