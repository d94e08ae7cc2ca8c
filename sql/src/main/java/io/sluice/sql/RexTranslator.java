package io.sluice.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

import com.google.common.collect.Range;

import io.sluice.engine.dataset.Expr;
import io.sluice.memory.ColumnType;

/**
 * Row expressions ({@link RexNode}) over one translated input as Sluice {@link Expr}s. Every call's result is cast to
 * the column type of its SQL type, so each expression has exactly the type Calcite derived.
 */
final class RexTranslator {
    /** An expression and its Sluice type. */
    static final class Typed {
        final Expr expr;
        final ColumnType type;

        Typed(final Expr expr, final ColumnType type) {
            this.expr = expr;
            this.type = type;
        }
    }

    private final List<String> columns;
    private final List<ColumnType> types;
    private final RexBuilder rexBuilder;
    private final SupportedSyntax syntax;

    /** Translates over a row whose field {@code i} is column {@code columns[i]} of type {@code types[i]}. */
    RexTranslator(final List<String> columns, final List<ColumnType> types, final RexBuilder rexBuilder,
                  final SupportedSyntax syntax) {
        this.columns = columns;
        this.types = types;
        this.rexBuilder = rexBuilder;
        this.syntax = syntax;
    }

    Expr expr(final RexNode node) {
        return translate(node).expr;
    }

    Typed translate(final RexNode node) {
        if (node instanceof RexInputRef) {
            final int index = ((RexInputRef) node).getIndex();
            return new Typed(Expr.col(columns.get(index)), types.get(index));
        }
        if (node instanceof RexLiteral) {
            return literal((RexLiteral) node);
        }
        if (node instanceof RexCall) {
            return coerce(call((RexCall) node), node.getType(), node);
        }
        throw syntax.error("unsupported expression: " + node, null, null);
    }

    /** {@code t} cast to the column type of {@code sqlType} if it differs. */
    Typed coerce(final Typed t, final RelDataType sqlType, final RexNode at) {
        final ColumnType target = columnType(sqlType, at);
        return t.type == target ? t : new Typed(t.expr.cast(target), target);
    }

    private ColumnType columnType(final RelDataType sqlType, final RexNode at) {
        final ColumnType type = SqlTypes.columnType(sqlType);
        if (type == null) {
            throw syntax.error("unsupported type " + sqlType.getFullTypeString() + " of " + at, null, null);
        }
        return type;
    }

    private Typed literal(final RexLiteral lit) {
        if (lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL) {
            return new Typed(Expr.nullOf(ColumnType.INT32), ColumnType.INT32);
        }
        final ColumnType type = columnType(lit.getType(), lit);
        if (lit.isNull()) {
            return new Typed(Expr.nullOf(type), type);
        }
        if (lit.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP) {
            return new Typed(Expr.lit(lit.getValueAs(Long.class)), type);    // epoch millis
        }
        return new Typed(Expr.lit(javaValue(lit.getValueAs(Comparable.class), type)), type);
    }

    /** A literal or Sarg value as the Java value Sluice keeps in a column of {@code type}. */
    static Object javaValue(final Object value, final ColumnType type) {
        if (value instanceof NlsString) {
            return ((NlsString) value).getValue();
        }
        switch (type) {
            case INT32:
                return ((Number) value).intValue();
            case INT64:
                return ((Number) value).longValue();
            case FLOAT64:
                return value instanceof BigDecimal ? ((BigDecimal) value).doubleValue() : ((Number) value).doubleValue();
            default:
                return value;
        }
    }

    private Typed call(final RexCall call) {
        final Typed logical = logical(call);
        if (logical != null) {
            return logical;
        }
        final List<RexNode> ops = call.getOperands();
        switch (call.getKind()) {
            case PLUS:
            case MINUS:
            case TIMES:
            case DIVIDE:
            case MOD:
                return arithmetic(call);
            case MINUS_PREFIX: {
                final Typed a = numeric(ops.get(0), call);
                final Object zero = a.type == ColumnType.INT32 ? (Object) 0 : a.type == ColumnType.INT64 ? (Object) 0L : 0.0;
                return new Typed(Expr.lit(zero).minus(a.expr), a.type);
            }
            case PLUS_PREFIX:
                return translate(ops.get(0));
            case CASE:
                return caseWhen(call);
            case COALESCE: {
                final List<Expr> args = new ArrayList<>();
                for (final RexNode op : ops) {
                    args.add(coerce(translate(op), call.getType(), call).expr);
                }
                return new Typed(Expr.coalesce(args.toArray(new Expr[0])), columnType(call.getType(), call));
            }
            case CAST:
                return cast(call);
            case SEARCH:
                return search(call);
            case LIKE:
                return like(call);
            default:
                return function(call);
        }
    }

    /** Comparisons, AND / OR / NOT and the IS tests (all BOOLEAN, three-valued); null if {@code call} is none of them. */
    private Typed logical(final RexCall call) {
        final List<RexNode> ops = call.getOperands();
        switch (call.getKind()) {
            case EQUALS:
            case NOT_EQUALS:
            case LESS_THAN:
            case LESS_THAN_OR_EQUAL:
            case GREATER_THAN:
            case GREATER_THAN_OR_EQUAL:
                return bool(comparison(call.getKind(), expr(ops.get(0)), expr(ops.get(1))));
            case IS_DISTINCT_FROM:
            case IS_NOT_DISTINCT_FROM: {
                final Expr a = expr(ops.get(0));
                final Expr b = expr(ops.get(1));
                final Expr same = a.isNull().and(b.isNull()).or(Expr.coalesce(a.eq(b), Expr.lit(false)));
                return bool(call.getKind() == org.apache.calcite.sql.SqlKind.IS_DISTINCT_FROM ? same.not() : same);
            }
            case AND:
            case OR: {
                Expr e = expr(ops.get(0));
                for (int i = 1; i < ops.size(); i++) {
                    e = call.getKind() == org.apache.calcite.sql.SqlKind.AND ? e.and(expr(ops.get(i))) : e.or(expr(ops.get(i)));
                }
                return bool(e);
            }
            case NOT:
                return bool(expr(ops.get(0)).not());
            case IS_NULL:
                return bool(expr(ops.get(0)).isNull());
            case IS_NOT_NULL:
                return bool(expr(ops.get(0)).isNotNull());
            case IS_TRUE:
                return bool(Expr.coalesce(expr(ops.get(0)), Expr.lit(false)));
            case IS_NOT_TRUE:
                return bool(Expr.coalesce(expr(ops.get(0)), Expr.lit(false)).not());
            case IS_FALSE:
                return bool(Expr.coalesce(expr(ops.get(0)).not(), Expr.lit(false)));
            case IS_NOT_FALSE:
                return bool(Expr.coalesce(expr(ops.get(0)), Expr.lit(true)));
            default:
                return null;
        }
    }

    private Typed cast(final RexCall call) {
        final ColumnType target = columnType(call.getType(), call);
        final RexNode from = call.getOperands().get(0);
        if (SqlTypes.isTimeLike(call.getType()) != SqlTypes.isTimeLike(from.getType())) {
            throw syntax.error("unsupported: CAST from " + from.getType() + " to " + call.getType(), "CAST", null);
        }
        final Typed a = translate(from);
        return a.type == target ? a : new Typed(a.expr.cast(target), target);
    }

    private static Typed bool(final Expr e) {
        return new Typed(e, ColumnType.BOOLEAN);
    }

    private Typed numeric(final RexNode node, final RexCall in) {
        final Typed t = translate(node);
        if (t.type != ColumnType.INT32 && t.type != ColumnType.INT64 && t.type != ColumnType.FLOAT64) {
            throw syntax.error("operator '" + in.getOperator().getName() + "' needs numbers: " + node + " has type "
                + node.getType(), in.getOperator().getName(), null);
        }
        return t;
    }

    private Typed arithmetic(final RexCall call) {
        final Typed a = numeric(call.getOperands().get(0), call);
        final Typed b = numeric(call.getOperands().get(1), call);
        final ColumnType type = a.type == ColumnType.FLOAT64 || b.type == ColumnType.FLOAT64 ? ColumnType.FLOAT64
            : a.type == ColumnType.INT64 || b.type == ColumnType.INT64 ? ColumnType.INT64 : ColumnType.INT32;
        final Expr e;
        switch (call.getKind()) {
            case PLUS:
                e = a.expr.plus(b.expr);
                break;
            case MINUS:
                e = a.expr.minus(b.expr);
                break;
            case TIMES:
                e = a.expr.times(b.expr);
                break;
            case DIVIDE:
                e = a.expr.div(b.expr);
                break;
            default:
                e = a.expr.mod(b.expr);
                break;
        }
        return new Typed(e, type);
    }

    private static Expr comparison(final org.apache.calcite.sql.SqlKind kind, final Expr a, final Expr b) {
        switch (kind) {
            case EQUALS:
                return a.eq(b);
            case NOT_EQUALS:
                return a.ne(b);
            case LESS_THAN:
                return a.lt(b);
            case LESS_THAN_OR_EQUAL:
                return a.le(b);
            case GREATER_THAN:
                return a.gt(b);
            default:
                return a.ge(b);
        }
    }

    private Typed caseWhen(final RexCall call) {
        final List<RexNode> ops = call.getOperands();
        final List<Expr> conditions = new ArrayList<>();
        final List<Expr> values = new ArrayList<>();
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            conditions.add(expr(ops.get(i)));
            values.add(coerce(translate(ops.get(i + 1)), call.getType(), call).expr);
        }
        final Expr otherwise = coerce(translate(ops.get(ops.size() - 1)), call.getType(), call).expr;
        return new Typed(Expr.caseWhen(conditions, values, otherwise), columnType(call.getType(), call));
    }

    /** IN lists become one {@link Expr#in}; ranges (BETWEEN, comparisons merged by Calcite) expand to comparisons. */
    private Typed search(final RexCall call) {
        final Sarg<?> sarg = ((RexLiteral) call.getOperands().get(1)).getValueAs(Sarg.class);
        final boolean points = sarg != null && sarg.isPoints();
        final boolean complemented = sarg != null && !points && sarg.isComplementedPoints();
        if (!points && !complemented) {
            return translate(RexUtil.expandSearch(rexBuilder, null, call));
        }
        final Typed x = translate(call.getOperands().get(0));
        final Sarg<?> pointSarg = complemented ? sarg.negate() : sarg;
        final List<Object> values = new ArrayList<>();
        for (final Range<?> r : pointSarg.rangeSet.asRanges()) {
            values.add(javaValue(r.lowerEndpoint(), x.type));
        }
        Expr in = x.expr.in(values);
        if (complemented) {
            in = in.not();
        }
        if (sarg.nullAs == RexUnknownAs.TRUE) {
            in = x.expr.isNull().or(in);
        } else if (sarg.nullAs == RexUnknownAs.FALSE) {
            in = Expr.coalesce(in, Expr.lit(false));
        }
        return bool(in);
    }

    /** LIKE with a constant pattern; {@code abc%} and {@code %abc%} run as startsWith / contains on the bytes. */
    private Typed like(final RexCall call) {
        final String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        final List<RexNode> ops = call.getOperands();
        if (!name.equals("LIKE") && !name.equals("NOT LIKE") || !(ops.get(1) instanceof RexLiteral)
            || ops.size() > 2 && !(ops.get(2) instanceof RexLiteral)) {
            throw syntax.error("unsupported: " + name + " (only LIKE and NOT LIKE with a constant pattern)", name, null);
        }
        final Expr x = expr(ops.get(0));
        final String pattern = ((RexLiteral) ops.get(1)).getValueAs(String.class);
        final String escape = ops.size() > 2 ? ((RexLiteral) ops.get(2)).getValueAs(String.class) : null;
        if (escape != null && escape.length() != 1) {
            throw syntax.error("LIKE escape '" + escape + "' must be one character", name, null);
        }
        final String body = pattern.substring(pattern.startsWith("%") ? 1 : 0, Math.max(pattern.length() - 1, 0));
        final boolean plain = escape == null && pattern.endsWith("%") && body.indexOf('%') < 0 && body.indexOf('_') < 0;
        final Expr e;
        if (plain && pattern.length() >= 2 && pattern.startsWith("%")) {
            e = x.contains(body);
        } else if (plain && !pattern.startsWith("%")) {
            e = x.startsWith(body);
        } else {
            e = escape == null ? x.like(pattern) : x.like(pattern, escape.charAt(0));
        }
        return bool(name.startsWith("NOT") ? e.not() : e);
    }

    private Typed function(final RexCall call) {
        final String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        final List<RexNode> ops = call.getOperands();
        switch (name) {
            case "UPPER":
                return new Typed(expr(ops.get(0)).upper(), ColumnType.UTF8);
            case "LOWER":
                return new Typed(expr(ops.get(0)).lower(), ColumnType.UTF8);
            case "CHAR_LENGTH":
            case "CHARACTER_LENGTH":
                return new Typed(expr(ops.get(0)).length(), ColumnType.INT64);
            case "SUBSTRING":
                return substring(call);
            default:
                throw syntax.error("unsupported function or operator: " + call.getOperator().getName(), name, null);
        }
    }

    /** SQL SUBSTRING(s FROM start [FOR length]) with constant 1-based start and length >= 0. */
    private Typed substring(final RexCall call) {
        final List<RexNode> ops = call.getOperands();
        final boolean constant = ops.get(1) instanceof RexLiteral && (ops.size() < 3 || ops.get(2) instanceof RexLiteral);
        final Integer start = constant ? ((RexLiteral) ops.get(1)).getValueAs(Integer.class) : null;
        final Integer length = constant && ops.size() > 2 ? ((RexLiteral) ops.get(2)).getValueAs(Integer.class) : null;
        if (!constant || start == null || ops.size() > 2 && (length == null || length < 0)) {
            throw syntax.error("unsupported: SUBSTRING needs constant start and length >= 0", "SUBSTRING", null);
        }
        final int from = Math.max(start, 1);
        final long end = length == null ? Long.MAX_VALUE : (long) start + length;
        final int len = (int) Math.max(0, Math.min(Integer.MAX_VALUE, end - from));
        return new Typed(expr(ops.get(0)).substring(from - 1, len), ColumnType.UTF8);
    }
}
