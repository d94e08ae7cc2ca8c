package io.sluice.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import io.sluice.memory.ColumnType;

/**
 * Sluice's CAST ({@code Expr.cast}) as Spark columns. Spark's non-ANSI cast differs where a value does not convert
 * (it gives null, wraps or saturates; Sluice throws) and in its text rules (Spark reads "1.5" as the integer 1 and
 * trims only ASCII blanks; Sluice parses with {@link Long#parseLong}/{@link Double#parseDouble} after
 * {@link String#strip}), and it formats doubles its own way. So the conversions that can fail, parse text or format
 * doubles run Sluice's rules in deterministic functions that throw {@link IllegalArgumentException} naming the value,
 * failing the Spark job as the value fails the Sluice job; the exact ones (widening, booleans to numbers, integers
 * to text) stay Spark casts.
 */
final class CastSemantics {
    /** Text to INT64 ({@code what} names the cast for the error). */
    private static final UserDefinedFunction TEXT_TO_LONG = functions.udf((UDF2<String, String, Long>) (s, what) -> {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (final NumberFormatException ex) {
            throw bad(s, what);
        }
    }, DataTypes.LongType);

    private static final UserDefinedFunction TEXT_TO_DOUBLE = functions.udf((UDF2<String, String, Double>) (s, what) -> {
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (final NumberFormatException ex) {
            throw bad(s, what);
        }
    }, DataTypes.DoubleType);

    private static final UserDefinedFunction TEXT_TO_BOOLEAN = functions.udf((UDF2<String, String, Boolean>) (s, what) -> {
        if (s == null) {
            return null;
        }
        final String t = s.strip();
        if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw bad(t, what);
        }
        return t.equalsIgnoreCase("true");
    }, DataTypes.BooleanType);

    /** FLOAT64 to INT64: truncation toward zero; NaN and values outside the long range do not convert. */
    private static final UserDefinedFunction DOUBLE_TO_LONG = functions.udf((UDF2<Double, String, Long>) (d, what) -> {
        if (d == null) {
            return null;
        }
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            throw bad(String.valueOf(d), what);
        }
        return (long) (double) d;
    }, DataTypes.LongType);

    /** INT64 to INT32 only when the value fits. */
    private static final UserDefinedFunction LONG_TO_INT = functions.udf((UDF2<Long, String, Integer>) (v, what) -> {
        if (v == null) {
            return null;
        }
        if ((int) (long) v != v) {
            throw bad(String.valueOf(v), what);
        }
        return (int) (long) v;
    }, DataTypes.IntegerType);

    /** FLOAT64 to text as {@link Double#toString} (the JVM's shortest repr, as Sluice formats it on the same JVM). */
    private static final UserDefinedFunction DOUBLE_TO_TEXT = functions.udf((UDF1<Double, String>) d ->
        d == null ? null : Double.toString(d), DataTypes.StringType);

    private CastSemantics() {
    }

    /** {@code value} (of Sluice type {@code from}) cast to {@code target}; {@code what} names the cast in errors. */
    static Column cast(final Column value, final ColumnType from, final ColumnType target, final String what) {
        if (from == target) {
            return value;
        }
        final Column name = functions.lit(what);
        switch (target) {
            case INT32:
                return LONG_TO_INT.apply(cast(value, from, ColumnType.INT64, what), name);
            case INT64:
                if (from == ColumnType.FLOAT64) {
                    return DOUBLE_TO_LONG.apply(value, name);
                }
                return from == ColumnType.UTF8 ? TEXT_TO_LONG.apply(value, name) : value.cast(DataTypes.LongType);
            case FLOAT64:
                return from == ColumnType.UTF8 ? TEXT_TO_DOUBLE.apply(value, name) : value.cast(DataTypes.DoubleType);
            case BOOLEAN:
                if (from == ColumnType.UTF8) {
                    return TEXT_TO_BOOLEAN.apply(value, name);
                }
                // Sluice: any number other than 0 (NaN included) is true.
                return value.cast(DataTypes.DoubleType).notEqual(functions.lit(0.0));
            case UTF8:
                return from == ColumnType.FLOAT64 ? DOUBLE_TO_TEXT.apply(value) : value.cast(DataTypes.StringType);
            default:
                throw new UnsupportedOperationException(what + ": cast to " + target + " has no Spark translation");
        }
    }

    private static IllegalArgumentException bad(final String value, final String what) {
        return new IllegalArgumentException("cannot cast value='" + value + "' in " + what);
    }
}
