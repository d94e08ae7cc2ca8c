package io.sluice.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Sluice's FLOAT64 semantics where Spark's differ, as deterministic Spark functions. Sluice divides and takes remainders
 * by zero as IEEE 754 (infinity or NaN; Spark gives null), and takes MIN and MAX with {@link Math#min}/{@link Math#max}
 * (NaN wins, -0.0 &lt; 0.0; Spark's MIN skips NaN, which it orders last, and does not tell -0.0 from 0.0). Comparisons,
 * sorting, grouping and join keys agree already: both engines treat -0.0 as 0.0 and NaN as one value above all others.
 */
final class DoubleSemantics {
    /** a / b as IEEE 754 doubles; null if either is null. */
    static final UserDefinedFunction DIVIDE = functions.udf(
        (UDF2<Double, Double, Double>) (a, b) -> a == null || b == null ? null : a / b, DataTypes.DoubleType);

    /** a % b as Java doubles (sign of the dividend, NaN for a zero divisor); null if either is null. */
    static final UserDefinedFunction REMAINDER = functions.udf(
        (UDF2<Double, Double, Double>) (a, b) -> a == null || b == null ? null : a % b, DataTypes.DoubleType);

    /** A long whose signed order is {@link Double#compare}'s order on the double (NaN canonical and last). */
    static final UserDefinedFunction ORDER_KEY = functions.udf((UDF1<Double, Long>) d -> {
        if (d == null) {
            return null;
        }
        final long bits = Double.doubleToLongBits(d);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }, DataTypes.LongType);

    /** The inverse of {@link #ORDER_KEY}. */
    static final UserDefinedFunction FROM_ORDER_KEY = functions.udf((UDF1<Long, Double>) k -> {
        if (k == null) {
            return null;
        }
        return Double.longBitsToDouble(k ^ ((k >> 63) & Long.MAX_VALUE));
    }, DataTypes.DoubleType);

    private DoubleSemantics() {
    }

    /** Sluice's MIN of a FLOAT64 column: NaN if any value is NaN, else the least by {@link Double#compare}. */
    static Column min(final Column value) {
        return functions.when(functions.max(functions.isnan(value)), functions.lit(Double.NaN))
            .otherwise(FROM_ORDER_KEY.apply(functions.min(ORDER_KEY.apply(value))));
    }

    /** Sluice's MAX of a FLOAT64 column: {@link Math#max} over the values, which is the greatest by {@link Double#compare}. */
    static Column max(final Column value) {
        return FROM_ORDER_KEY.apply(functions.max(ORDER_KEY.apply(value)));
    }
}
