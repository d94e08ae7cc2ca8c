package io.sluice.engine.stream.source;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Generates records at a fixed rate (records per second of the stream clock) for benchmarks and tests: a pull
 * source, so with a {@link ManualStreamClock} it is exactly reproducible. By time {@code t} after start,
 * {@code floor(rate * t)} records are due; what the stream's rate limit or budget does not admit stays owed
 * ({@link #pendingRecords()}, part of the lag) and is produced later. Row {@code i}'s values depend only on the
 * seed and {@code i} (a SplitMix64 hash), never on how rows fall into blocks: INT64 the hash, INT32 its low bits,
 * FLOAT64 in [0, 1), BOOLEAN its low bit, UTF8 one of {@code vocabulary} words {@code "w<n>"}. Never null, never
 * rejected.
 *
 * <p>Event time ({@link Builder#eventTime}): one INT64 column holds row {@code i}'s epoch-millis time
 * {@code start + floor(i * 1000 / eventRate)} (event time moving at the given rate, whatever the stream clock does);
 * with {@link Builder#disorder} a row is, with probability p, up to D ms earlier than that (both drawn from the seed
 * and the row index), so the stream arrives out of order by at most D ms.
 *
 * <p>Replayable: the offset is the index of the next row, so a restarted stream seeks past what it logged and
 * produces the same rows again. An optional {@link Builder#recordLimit} makes the stream finite
 * ({@link #exhausted()}).
 */
public final class GeneratorSource implements ReplayableSource {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final String name;
    private final Schema schema;
    private final long seed;
    private final int maxBlockRows;
    private final byte[][] words;
    private final long recordLimit;
    private final int eventTimeColumn;
    private final long eventStart;
    private final double eventRate;
    private final long disorderMillis;
    private final double disorderProbability;
    private double rate;
    private long baseNanos = Long.MIN_VALUE;
    private long baseDue;
    private long produced;
    private volatile long owed;

    private GeneratorSource(final Builder builder) {
        this.name = builder.name;
        this.schema = builder.schema;
        this.seed = builder.seed;
        this.rate = builder.rate;
        this.maxBlockRows = builder.maxBlockRows;
        this.recordLimit = builder.recordLimit;
        this.eventTimeColumn = builder.eventTimeColumn == null ? -1 : schema.indexOf(builder.eventTimeColumn);
        this.eventStart = builder.eventStart;
        this.eventRate = builder.eventRate;
        this.disorderMillis = builder.disorderMillis;
        this.disorderProbability = builder.disorderProbability;
        this.words = new byte[builder.vocabulary][];
        for (int i = 0; i < words.length; i++) {
            words[i] = ("w" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A builder; rate must be set. */
    public static Builder builder(final String name, final Schema schema) {
        return new Builder(name, schema);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public synchronized void start(final SourceContext context) {
        baseNanos = context.clock().nanos();
        // After a seek the rows before the offset were produced by an earlier run: due counts on from there.
        baseDue = produced;
    }

    /** The index of the next row to produce. */
    @Override
    public synchronized String offset() {
        return Long.toString(produced);
    }

    /** Continues at row {@code offset} (a row index in [0, record limit]); before {@link #start} only. */
    @Override
    public synchronized void seek(final String offset) {
        final long row;
        try {
            row = Long.parseLong(offset);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("generator source '" + name + "' offset='" + offset + "' is not a row index", ex);
        }
        if (row < 0 || row > recordLimit) {
            throw new IllegalArgumentException("generator source '" + name + "' offset=" + row + " out of range [0, " + recordLimit + "]");
        }
        if (baseNanos != Long.MIN_VALUE) {
            throw new IllegalStateException("generator source '" + name + "' cannot seek after start");
        }
        produced = row;
    }

    /** Whether every row up to the record limit was produced (never, without a limit). */
    public synchronized boolean exhausted() {
        return produced >= recordLimit;
    }

    /** The record limit ({@link Long#MAX_VALUE}: none). */
    public long recordLimit() {
        return recordLimit;
    }

    /** Changes the input rate from now on (records already due stay due). */
    public synchronized void setRate(final double recordsPerSecond, final long nowNanos) {
        checkRate(recordsPerSecond);
        if (baseNanos != Long.MIN_VALUE) {
            baseDue = due(nowNanos);
            baseNanos = nowNanos;
        }
        rate = recordsPerSecond;
    }

    public synchronized double rate() {
        return rate;
    }

    private long due(final long nowNanos) {
        return Math.min(recordLimit, baseDue + (long) Math.floor(rate * Math.max(0, nowNanos - baseNanos) / 1e9));
    }

    @Override
    public synchronized void poll(final SourceContext context, final long nowNanos) {
        long left = Math.max(0, due(nowNanos) - produced);
        long allowance = context.recordAllowance();
        while (left > 0 && allowance > 0) {
            final int rows = (int) Math.min(Math.min(left, allowance), maxBlockRows);
            final Batch block = build(context, produced, rows);
            if (!context.tryStore(block)) {
                block.release();
                break;
            }
            produced += rows;
            left -= rows;
            allowance -= rows;
        }
        owed = left;
    }

    private Batch build(final SourceContext context, final long firstRow, final int rows) {
        try (BatchBuilder builder = new BatchBuilder(context.allocator(), schema, rows)) {
            for (long row = firstRow; row < firstRow + rows; row++) {
                for (int c = 0; c < schema.fieldCount(); c++) {
                    final long hash = mix(seed + GOLDEN * (row * schema.fieldCount() + c + 1));
                    final Field field = schema.field(c);
                    if (c == eventTimeColumn) {
                        builder.setInt64(c, eventTime(row, hash));
                        continue;
                    }
                    switch (field.type()) {
                        case BOOLEAN:
                            builder.setBoolean(c, (hash & 1) != 0);
                            break;
                        case INT32:
                            builder.setInt32(c, (int) hash);
                            break;
                        case INT64:
                            builder.setInt64(c, hash);
                            break;
                        case FLOAT64:
                            builder.setFloat64(c, (hash >>> 11) * 0x1.0p-53);
                            break;
                        case UTF8:
                            final byte[] word = words[(int) Long.remainderUnsigned(hash, words.length)];
                            builder.setUtf8(c, word, 0, word.length);
                            break;
                        default:
                            throw new IllegalStateException("unsupported column type=" + field.type());
                    }
                }
                builder.endRow();
            }
            return builder.build();
        }
    }

    /** Row {@code row}'s event time: on schedule, or with probability p up to the disorder bound earlier. */
    private long eventTime(final long row, final long hash) {
        final long onTime = eventStart + (long) Math.floor(row * 1000.0 / eventRate);
        if (disorderMillis == 0) {
            return onTime;
        }
        final double draw = (hash >>> 11) * 0x1.0p-53;
        if (draw >= disorderProbability) {
            return onTime;
        }
        return onTime - Long.remainderUnsigned(mix(hash ^ GOLDEN), disorderMillis + 1);
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014). */
    static long mix(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Records produced (stored) so far. */
    public synchronized long producedRecords() {
        return produced;
    }

    @Override
    public void stop() {
    }

    @Override
    public long rejectedRecords() {
        return 0;
    }

    @Override
    public long pendingRecords() {
        return owed;
    }

    private static void checkRate(final double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("generator rate=" + rate + " records/s must be finite and >= 0");
        }
    }

    /** Builds a {@link GeneratorSource}. */
    public static final class Builder {
        private final String name;
        private final Schema schema;
        private double rate = -1;
        private long seed = 42;
        private int maxBlockRows = 1 << 16;
        private int vocabulary = 1000;
        private long recordLimit = Long.MAX_VALUE;
        private String eventTimeColumn;
        private long eventStart;
        private double eventRate;
        private long disorderMillis;
        private double disorderProbability;

        private Builder(final String name, final Schema schema) {
            this.name = Objects.requireNonNull(name, "name");
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** Records per second of the stream clock (required). */
        public Builder ratePerSecond(final double value) {
            checkRate(value);
            this.rate = value;
            return this;
        }

        public Builder seed(final long value) {
            this.seed = value;
            return this;
        }

        /** Rows per stored block (default 65536). */
        public Builder maxBlockRows(final int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxBlockRows=" + value + " must be > 0");
            }
            this.maxBlockRows = value;
            return this;
        }

        /** Distinct UTF8 words (default 1000). */
        public Builder vocabulary(final int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("vocabulary=" + value + " must be > 0");
            }
            this.vocabulary = value;
            return this;
        }

        /** Rows in all (default: unlimited): after row {@code value - 1} the source produces nothing more. */
        public Builder recordLimit(final long value) {
            if (value < 0) {
                throw new IllegalArgumentException("recordLimit=" + value + " must be >= 0");
            }
            this.recordLimit = value;
            return this;
        }

        /**
         * Makes INT64 column {@code column} the event time: row i at {@code startMillis + floor(i * 1000 /
         * rowsPerSecond)} epoch millis.
         */
        public Builder eventTime(final String column, final long startMillis, final double rowsPerSecond) {
            Objects.requireNonNull(column, "column");
            if (!schema.contains(column) || schema.field(column).type() != ColumnType.INT64) {
                throw new IllegalArgumentException("generator source '" + name + "': event-time column '" + column
                    + "' must be an INT64 column of schema=" + schema);
            }
            if (!(rowsPerSecond > 0) || Double.isInfinite(rowsPerSecond)) {
                throw new IllegalArgumentException("event time rowsPerSecond=" + rowsPerSecond + " must be finite and > 0");
            }
            this.eventTimeColumn = column;
            this.eventStart = startMillis;
            this.eventRate = rowsPerSecond;
            return this;
        }

        /** Bounded disorder of the event time: with probability {@code probability} a row is up to {@code maxMillis} early. */
        public Builder disorder(final long maxMillis, final double probability) {
            if (maxMillis < 0 || !(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("disorder maxMillis=" + maxMillis + " must be >= 0 and probability="
                    + probability + " in [0, 1]");
            }
            this.disorderMillis = maxMillis;
            this.disorderProbability = probability;
            return this;
        }

        public GeneratorSource build() {
            if (rate < 0) {
                throw new IllegalStateException("generator source '" + name + "' needs ratePerSecond");
            }
            if (disorderMillis > 0 && eventTimeColumn == null) {
                throw new IllegalStateException("generator source '" + name + "': disorder needs an eventTime column");
            }
            return new GeneratorSource(this);
        }
    }
}
