package io.sluice.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The parse tree walked once before validation: rejects the constructs Sluice cannot run, with their position, and
 * remembers where each operator first occurs so that later errors (found on relational algebra, which carries no
 * positions) can still name a line and column.
 */
final class SupportedSyntax {
    private final Map<String, SqlParserPos> firstByOperator = new HashMap<>();

    private SupportedSyntax() {
    }

    /** Walks {@code query}; throws {@link SqlException} at the first unsupported construct. */
    static SupportedSyntax check(final SqlNode query) {
        final SupportedSyntax s = new SupportedSyntax();
        s.walk(query, false);
        return s;
    }

    /** An error about {@code construct}, placed at the first occurrence of operator {@code operator} (else 1:1). */
    SqlException error(final String message, final String operator, final Throwable cause) {
        final SqlParserPos pos = operator == null ? null : firstByOperator.get(operator.toUpperCase(Locale.ROOT));
        return new SqlException(message, pos == null ? 1 : pos.getLineNum(), pos == null ? 1 : pos.getColumnNum(), cause);
    }

    private static SqlException unsupported(final String construct, final SqlNode at) {
        final SqlParserPos pos = at.getParserPosition();
        return new SqlException("unsupported: " + construct, pos.getLineNum(), pos.getColumnNum(), null);
    }

    private void walk(final SqlNode node, final boolean inExpression) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlNodeList) {
            for (final SqlNode n : (SqlNodeList) node) {
                walk(n, inExpression);
            }
        } else if (node instanceof SqlSelect) {
            walkSelect((SqlSelect) node, inExpression);
        } else if (node instanceof SqlOrderBy) {
            final SqlOrderBy orderBy = (SqlOrderBy) node;
            if (orderBy.offset != null) {
                throw unsupported("OFFSET", orderBy.offset);
            }
            firstByOperator.putIfAbsent("ORDER_BY", orderBy.orderList.getParserPosition());
            walk(orderBy.query, inExpression);
            walk(orderBy.orderList, true);
        } else if (node instanceof SqlJoin) {
            final SqlJoin join = (SqlJoin) node;
            if (join.getJoinType() == JoinType.FULL) {
                throw unsupported("FULL JOIN", join);
            }
            firstByOperator.putIfAbsent("JOIN", join.getParserPosition());
            walk(join.getLeft(), false);
            walk(join.getRight(), false);
            walk(join.getCondition(), true);
        } else if (node instanceof SqlCall) {
            walkCall((SqlCall) node, inExpression);
        }
    }

    private static boolean isWindowTableFunction(final SqlNode node) {
        // Before validation the call is not resolved yet: its kind may still be OTHER_FUNCTION.
        return node instanceof SqlCall && List.of("TUMBLE", "HOP", "SESSION")
            .contains(((SqlCall) node).getOperator().getName().toUpperCase(Locale.ROOT));
    }

    private void walkSelect(final SqlSelect select, final boolean inExpression) {
        if (inExpression) {
            throw unsupported("a subquery inside an expression (use a join)", select);
        }
        if (select.getOffset() != null) {
            throw unsupported("OFFSET", select.getOffset());
        }
        if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
            throw unsupported("WINDOW clause", select.getWindowList());
        }
        if (select.getGroup() != null) {
            final SqlNode first = select.getGroup().isEmpty() ? select.getGroup() : select.getGroup().get(0);
            firstByOperator.putIfAbsent("GROUP_BY", first.getParserPosition());
        }
        if (select.getWhere() != null) {
            firstByOperator.putIfAbsent("WHERE", select.getWhere().getParserPosition());
        }
        if (select.getOrderList() != null) {
            firstByOperator.putIfAbsent("ORDER_BY", select.getOrderList().getParserPosition());
        }
        walk(select.getFrom(), false);
        walk(select.getSelectList(), true);
        walk(select.getWhere(), true);
        walk(select.getGroup(), true);
        walk(select.getHaving(), true);
        walk(select.getOrderList(), true);
    }

    private void walkCall(final SqlCall call, final boolean inExpression) {
        final SqlKind kind = call.getKind();
        switch (kind) {
            case INTERSECT:
            case EXCEPT:
            case OVER:
            case FILTER:
            case WITHIN_GROUP:
            case WITHIN_DISTINCT:
            case GROUPING_SETS:
            case ROLLUP:
            case CUBE:
            case EXISTS:
            case UNNEST:
            case LATERAL:
            case MATCH_RECOGNIZE:
            case PIVOT:
            case UNPIVOT:
                throw unsupported(kind.sql, call);
            case COLLECTION_TABLE:
                if (!isWindowTableFunction(call.operand(0))) {
                    throw unsupported("TABLE(...) other than TUMBLE, HOP or SESSION over a stream", call);
                }
                break;
            default:
                break;
        }
        if (call.getOperator().getName().equalsIgnoreCase("SESSION_END")) {
            // Calcite's group-window SESSION_END is the session's start: the TABLE(SESSION(...)) form has window_end.
            throw unsupported("SESSION_END (use TABLE(SESSION(TABLE t, DESCRIPTOR(ts), DESCRIPTOR(key), gap)) and"
                + " window_end)", call);
        }
        firstByOperator.putIfAbsent(call.getOperator().getName().toUpperCase(Locale.ROOT), call.getParserPosition());
        firstByOperator.putIfAbsent(kind.name(), call.getParserPosition());
        final boolean setOp = kind == SqlKind.UNION || kind == SqlKind.AS && !inExpression;
        for (final SqlNode operand : call.getOperandList()) {
            walk(operand, !setOp && inExpression);
        }
    }
}
