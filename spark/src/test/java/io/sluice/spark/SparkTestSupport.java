package io.sluice.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** A local[2] Spark session bound to loopback with its directories under target/, seeded random rows, row comparison. */
final class SparkTestSupport {
    /** id is unique (exact ordered comparisons sort by it); every other column has nulls. */
    static final Schema SCHEMA = Schema.of(
        Field.notNull("id", ColumnType.INT64),
        Field.nullable("k", ColumnType.UTF8),
        Field.nullable("i", ColumnType.INT32),
        Field.nullable("l", ColumnType.INT64),
        Field.nullable("d", ColumnType.FLOAT64),
        Field.nullable("b", ColumnType.BOOLEAN),
        Field.nullable("s", ColumnType.UTF8));

    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final int[] INTS = {-3, -2, -1, 0, 0, 1, 2, 3, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final long[] LONGS = {-5, -1, 0, 0, 1, 2, 5, 9, Long.MIN_VALUE, Long.MAX_VALUE};
    private static final double[] DOUBLES = {-2.5, -1.0, -0.0, 0.0, 0.0, 0.5, 1.5, 3.25, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private static final String[] TEXTS = {"The cat and the hat", "the end", "", "  two  spaces ", "Straße", "ÉCOLE",
        "İstanbul", "ΟΔΟΣ", "a\uD83D\uDE00b cd", "x,y;z", "Sluice", "sluice, SLUICE"};

    private SparkTestSupport() {
    }

    /**
     * The session every test class of this module shares (Spark starts once per test JVM; Spark's own shutdown hook
     * stops it): local[2] on 127.0.0.1, no UI, 2 shuffle partitions, dirs under target/. Classes work on their own
     * child sessions ({@link SparkBackend#on}), so settings never leak between them.
     */
    static synchronized SparkSession session() {
        final Path target = Path.of("target").toAbsolutePath();
        return SparkSession.builder()
            .appName("sluice-spark-tests")
            .master("local[2]")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.local.dir", target.resolve("spark-local").toString())
            .config("spark.sql.warehouse.dir", target.resolve("spark-warehouse").toString())
            .getOrCreate();
    }

    /**
     * Runs {@code stream} on Spark into a Parquet folder with a checkpoint until the trigger ends the query
     * ({@code Trigger.AvailableNow}), and returns every row the folder holds then.
     */
    static List<Object[]> runToEnd(final SparkBackend spark, final DStream stream, final Path out, final Path checkpoint,
                                   final Trigger trigger) throws Exception {
        final StreamingQuery query = spark.writeParquetStream(stream, out.toString(), checkpoint.toString(), trigger);
        try {
            query.awaitTermination();
        } finally {
            query.stop();
        }
        return spark.readParquet(out.toString());
    }

    static SchedulerConfig sluiceConfig() {
        return SchedulerConfig.builder().name("spark-equivalence").workers(2).policy(SchedulingPolicy.WORK_STEALING).build();
    }

    /** {@code count} rows of {@link #SCHEMA}, about 15% nulls per nullable column, from {@code seed}. */
    static List<Object[]> randomRows(final long seed, final int count) {
        final Random random = new Random(seed);
        final List<Object[]> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            rows.add(new Object[] {
                (long) r,
                orNull(random, KEYS[random.nextInt(KEYS.length)]),
                orNull(random, INTS[random.nextInt(INTS.length)]),
                orNull(random, LONGS[random.nextInt(LONGS.length)]),
                orNull(random, DOUBLES[random.nextInt(DOUBLES.length)]),
                orNull(random, random.nextBoolean()),
                orNull(random, TEXTS[random.nextInt(TEXTS.length)]),
            });
        }
        return rows;
    }

    private static Object orNull(final Random random, final Object value) {
        return random.nextInt(100) < 15 ? null : value;
    }
}
