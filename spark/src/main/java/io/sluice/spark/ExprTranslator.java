package io.sluice.spark;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.ExprVisitor;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * One Sluice {@link Expr} over rows of {@code schema} as a Spark {@link Column} of the same type and values, nulls
 * included. Needs a session with ANSI mode off (Sluice's integer arithmetic wraps and integer division by zero is
 * null); {@link SparkBackend} sets it. Every result is cast to the Sluice result type, so Spark's column types match
 * the Sluice schema.
 */
final class ExprTranslator implements ExprVisitor<Column> {
    /** Java's {@code String.substring} on UTF-16 units, clamped as Sluice does (Spark's substring counts code points). */
    private static final UserDefinedFunction SUBSTRING = functions.udf((UDF3<String, Integer, Integer, String>) (s, start, len) -> {
        if (s == null) {
            return null;
        }
        final int from = Math.min(start, s.length());
        final int to = (int) Math.min((long) from + len, s.length());
        return s.substring(from, to);
    }, DataTypes.StringType);

    private final Schema schema;

    ExprTranslator(final Schema schema) {
        this.schema = schema;
    }

    /** The Spark column for {@code expr}, cast to its Sluice type. */
    Column translate(final Expr expr) {
        return expr.accept(this).cast(SparkTypes.of(expr.typeIn(schema)));
    }

    private ColumnType type(final Expr expr) {
        return expr.typeIn(schema);
    }

    @Override
    public Column column(final String name) {
        return functions.col(SparkTypes.quote(name));
    }

    @Override
    public Column literal(final Object value, final ColumnType type) {
        return functions.lit(value).cast(SparkTypes.of(type));
    }

    @Override
    public Column arithmetic(final String op, final Expr left, final Expr right) {
        final ColumnType lt = type(left);
        final ColumnType rt = type(right);
        final ColumnType out = lt == ColumnType.FLOAT64 || rt == ColumnType.FLOAT64 ? ColumnType.FLOAT64
            : lt == ColumnType.INT64 || rt == ColumnType.INT64 ? ColumnType.INT64 : ColumnType.INT32;
        final Column a = translate(left).cast(SparkTypes.of(out));
        final Column b = translate(right).cast(SparkTypes.of(out));
        switch (op) {
            case "ADD":
                return a.plus(b);
            case "SUB":
                return a.minus(b);
            case "MUL":
                return a.multiply(b);
            case "DIV":
                // Spark's '/' on doubles gives null for a zero divisor, Sluice IEEE 754; on integers Sluice truncates
                // and gives null for zero, which is Spark's integral 'div' with ANSI off.
                return out == ColumnType.FLOAT64 ? DoubleSemantics.DIVIDE.apply(a, b) : functions.call_function("div", a, b);
            case "MOD":
                // Sign of the dividend in both; an integer remainder by zero is null in both (ANSI off).
                return out == ColumnType.FLOAT64 ? DoubleSemantics.REMAINDER.apply(a, b) : a.mod(b);
            default:
                throw new UnsupportedOperationException("arithmetic operator " + op + " has no Spark translation");
        }
    }

    @Override
    public Column comparison(final String op, final Expr left, final Expr right) {
        final ColumnType lt = type(left);
        final ColumnType rt = type(right);
        Column a = translate(left);
        Column b = translate(right);
        if (lt == ColumnType.FLOAT64 || rt == ColumnType.FLOAT64) {
            // Both engines: -0.0 equals 0.0, NaN equals NaN and is greater than every other number.
            a = a.cast(DataTypes.DoubleType);
            b = b.cast(DataTypes.DoubleType);
        } else if (lt != rt) {
            // INT32 against INT64: compare as INT64 (Sluice compares every integer as a long).
            a = a.cast(DataTypes.LongType);
            b = b.cast(DataTypes.LongType);
        }
        return compare(op, a, b);
    }

    private static Column compare(final String op, final Column a, final Column b) {
        switch (op) {
            case "EQ":
                return a.equalTo(b);
            case "NE":
                return a.notEqual(b);
            case "LT":
                return a.lt(b);
            case "LE":
                return a.leq(b);
            case "GT":
                return a.gt(b);
            case "GE":
                return a.geq(b);
            default:
                throw new UnsupportedOperationException("comparison operator " + op + " has no Spark translation");
        }
    }

    @Override
    public Column logical(final String op, final Expr left, final Expr right) {
        switch (op) {
            case "AND":
                return translate(left).and(translate(right));
            case "OR":
                return translate(left).or(translate(right));
            case "NOT":
                return functions.not(translate(left));
            default:
                throw new UnsupportedOperationException("logical operator " + op + " has no Spark translation");
        }
    }

    @Override
    public Column isNull(final Expr input, final boolean isNull) {
        return isNull ? translate(input).isNull() : translate(input).isNotNull();
    }

    @Override
    public Column coalesce(final List<Expr> args) {
        ColumnType out = null;
        for (final Expr arg : args) {
            final ColumnType t = type(arg);
            out = out == null || out == t ? t : ColumnType.INT64;
        }
        final Column[] cols = new Column[args.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = translate(args.get(i)).cast(SparkTypes.of(out));
        }
        return functions.coalesce(cols);
    }

    @Override
    public Column stringFn(final String op, final Expr input, final String pattern, final int start, final int length) {
        final Column s = translate(input);
        switch (op) {
            case "LENGTH":
                // UTF-16 units, as Java's String.length() (Spark's length counts code points): bytes of UTF-16BE / 2.
                return functions.shiftright(functions.octet_length(functions.encode(s, "UTF-16BE")), 1);
            case "LOWER":
                return functions.lower(s);
            case "UPPER":
                return functions.upper(s);
            case "SUBSTRING":
                return SUBSTRING.apply(s, functions.lit(start), functions.lit(length));
            case "CONTAINS":
                return s.contains(pattern);
            case "STARTS_WITH":
                return s.startsWith(pattern);
            default:
                throw new UnsupportedOperationException("string function " + op + " has no Spark translation");
        }
    }

    @Override
    public Column split(final Expr input, final String delimiters) {
        throw new UnsupportedOperationException("split(" + input + ") is only valid in flatMap, which translates it");
    }

    @Override
    public Column alias(final Expr inner, final String name) {
        return inner.accept(this);
    }

    @Override
    public Column caseWhen(final List<Expr> conditions, final List<Expr> values, final Expr otherwise) {
        // Sluice's CaseWhen: values share one type, integers widen to INT64, integers with FLOAT64 to FLOAT64; the
        // first true condition wins (null counts as not true), as in Spark's CASE WHEN.
        ColumnType out = type(otherwise);
        for (final Expr v : values) {
            final ColumnType t = type(v);
            out = out == t ? t : out == ColumnType.FLOAT64 || t == ColumnType.FLOAT64 ? ColumnType.FLOAT64 : ColumnType.INT64;
        }
        final DataType sparkType = SparkTypes.of(out);
        Column result = null;
        for (int i = 0; i < conditions.size(); i++) {
            final Column c = translate(conditions.get(i));
            final Column v = translate(values.get(i)).cast(sparkType);
            result = result == null ? functions.when(c, v) : result.when(c, v);
        }
        return result.otherwise(translate(otherwise).cast(sparkType));
    }

    @Override
    public Column cast(final Expr input, final ColumnType target) {
        return CastSemantics.cast(translate(input), type(input), target, "cast(" + input + " AS " + target + ")");
    }

    @Override
    public Column in(final Expr input, final List<Object> constants) {
        // SQL IN as a chain of '=' joined by OR: true on a match, else null if the value or a constant is null, else
        // false, which is Sluice's rule. Spark's own IN/InSet is avoided for its hashing of -0.0 and mixed types.
        final ColumnType t = type(input);
        final Column value = translate(input);
        Column result = null;
        for (final Object c : constants) {
            final Column eq;
            if (c == null) {
                eq = value.equalTo(functions.lit(null).cast(SparkTypes.of(t)));
            } else if (t == ColumnType.FLOAT64) {
                eq = value.equalTo(functions.lit(((Number) c).doubleValue()));
            } else if (t == ColumnType.INT32 || t == ColumnType.INT64) {
                final Long asLong = integral((Number) c);
                if (asLong == null) {
                    continue;   // no integer equals a fractional or out-of-range constant
                }
                eq = value.cast(DataTypes.LongType).equalTo(functions.lit(asLong));
            } else {
                eq = value.equalTo(functions.lit(c));
            }
            result = result == null ? eq : result.or(eq);
        }
        return result == null ? functions.when(value.isNull(), functions.lit(null)).otherwise(functions.lit(false)) : result;
    }

    /** The long equal to {@code n}, or null if none is (Sluice compares integers to a Double constant only if integral). */
    private static Long integral(final Number n) {
        if (n instanceof Integer || n instanceof Long) {
            return n.longValue();
        }
        final double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (Long) (long) d : null;
    }

    @Override
    public Column like(final Expr input, final String pattern, final Character escape) {
        return translate(input).like(LikePattern.toSpark(pattern, escape));
    }

    @Override
    public Column unsupported(final Expr expr) {
        throw new UnsupportedOperationException("expression " + expr.getClass().getSimpleName() + " (" + expr
            + ") has no Spark translation");
    }
}
