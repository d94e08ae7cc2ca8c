package io.sluice.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random SQL over the {@link RandomTables} tables, rendered twice: for Sluice (Calcite's dialect) and for DuckDB.
 * Covers expressions (arithmetic, comparisons, AND/OR/NOT, CASE, CAST, IN, BETWEEN, LIKE, IS [NOT] NULL, COALESCE,
 * NULLIF, string functions), WHERE, GROUP BY + HAVING, global and DISTINCT aggregates, inner and left joins with residual
 * conditions, right joins, DISTINCT, UNION [ALL], FROM subqueries and ORDER BY + LIMIT. Every ORDER BY covers all output columns, so
 * an ordered result is unique. Deterministic for a seed.
 */
final class QueryGenerator {
    /** An expression in both dialects and its type: I integer, D double, S string, B boolean. */
    static final class E {
        final String sluice;
        final String duck;
        final char type;

        E(final String sluice, final String duck, final char type) {
            this.sluice = sluice;
            this.duck = duck;
            this.type = type;
        }

        E(final String both, final char type) {
            this(both, both, type);
        }
    }

    /** One query in both dialects; {@code ordered} when the result order is defined. */
    static final class Query {
        final String sluice;
        final String duck;
        final boolean ordered;

        Query(final String sluice, final String duck, final boolean ordered) {
            this.sluice = sluice;
            this.duck = duck;
            this.ordered = ordered;
        }
    }

    private static final String[] WORDS = {"a", "b", "ab", "é", "日本", "aé", "", "xyz", "Ab"};
    private static final String[] PATTERNS = {"a%", "%b", "%é%", "_", "a_", "%", "日%", "%y_", "A%"};

    private final Random random;
    /** Columns in scope: qualified name and type. */
    private List<String[]> columns;

    QueryGenerator(final long seed) {
        this.random = new Random(seed);
    }

    private boolean chance(final int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(final T[] items) {
        return items[random.nextInt(items.length)];
    }

    private E column(final char type) {
        final List<String[]> matching = new ArrayList<>();
        for (final String[] c : columns) {
            if (c[1].charAt(0) == type) {
                matching.add(c);
            }
        }
        if (matching.isEmpty()) {
            return literal(type);
        }
        return new E(matching.get(random.nextInt(matching.size()))[0], type);
    }

    private E literal(final char type) {
        switch (type) {
            case 'I':
                return new E(String.valueOf(random.nextInt(11) - 3), 'I');
            case 'D':
                return new E(String.valueOf((random.nextInt(41) - 20) / 4.0), 'D');
            case 'S':
                return new E("'" + pick(WORDS) + "'", 'S');
            default:
                return new E(chance(50) ? "TRUE" : "FALSE", 'B');
        }
    }

    E expr(final char type, final int depth) {
        if (depth <= 0 || chance(35)) {
            return chance(75) ? column(type) : literal(type);
        }
        switch (type) {
            case 'I':
                return intExpr(depth - 1);
            case 'D':
                return doubleExpr(depth - 1);
            case 'S':
                return stringExpr(depth - 1);
            default:
                return boolExpr(depth - 1);
        }
    }

    private E intExpr(final int d) {
        switch (random.nextInt(8)) {
            case 0: {
                final E a = expr('I', d);
                final E b = expr('I', d);
                final String op = pick(new String[] {"+", "-", "*"});
                return new E("(" + a.sluice + " " + op + " " + b.sluice + ")", "(" + a.duck + " " + op + " " + b.duck + ")", 'I');
            }
            case 1: {
                final E a = expr('I', d);
                final int m = 2 + random.nextInt(3);
                return new E("(" + a.sluice + " % " + m + ")", "(" + a.duck + " % " + m + ")", 'I');
            }
            case 2:
                return caseWhen('I', d);
            case 3:
                return coalesce('I', d);
            case 4: {
                final E s = expr('S', d);
                return new E("CHAR_LENGTH(" + s.sluice + ")", "LENGTH(" + s.duck + ")", 'I');
            }
            case 5: {
                final E x = expr('D', d);
                // Sluice (like Calcite's constant folding, Java and Spark) truncates; DuckDB rounds half to even.
                return new E("CAST(" + x.sluice + " AS INTEGER)", "CAST(TRUNC(" + x.duck + ") AS INTEGER)", 'I');
            }
            case 6: {
                final E a = expr('I', d);
                if (chance(50)) {
                    final E b = expr('I', d);
                    return new E("NULLIF(" + a.sluice + ", " + b.sluice + ")", "NULLIF(" + a.duck + ", " + b.duck + ")", 'I');
                }
                return new E("(- " + a.sluice + ")", "(- " + a.duck + ")", 'I');
            }
            default:
                return column('I');
        }
    }

    private E doubleExpr(final int d) {
        switch (random.nextInt(5)) {
            case 0: {
                final E a = expr('D', d);
                final E b = chance(50) ? expr('D', d) : expr('I', d);
                final String op = pick(new String[] {"+", "-", "*"});
                return new E("(" + a.sluice + " " + op + " " + b.sluice + ")", "(" + a.duck + " " + op + " " + b.duck + ")", 'D');
            }
            case 1: {
                final E a = expr('D', d);
                return new E("(" + a.sluice + " / 4.0)", "(" + a.duck + " / 4.0)", 'D');
            }
            case 2:
                return caseWhen('D', d);
            case 3: {
                final E a = expr('I', d);
                return new E("CAST(" + a.sluice + " AS DOUBLE)", "CAST(" + a.duck + " AS DOUBLE)", 'D');
            }
            default:
                return coalesce('D', d);
        }
    }

    private E stringExpr(final int d) {
        switch (random.nextInt(6)) {
            case 0: {
                final E s = expr('S', d);
                final String fn = chance(50) ? "UPPER" : "LOWER";
                return new E(fn + "(" + s.sluice + ")", fn + "(" + s.duck + ")", 'S');
            }
            case 1: {
                final E s = expr('S', d);
                final int start = 1 + random.nextInt(3);
                final int len = random.nextInt(3);
                return new E("SUBSTRING(" + s.sluice + " FROM " + start + " FOR " + len + ")",
                    "SUBSTRING(" + s.duck + ", " + start + ", " + len + ")", 'S');
            }
            case 2:
                return caseWhen('S', d);
            case 3:
                return coalesce('S', d);
            case 4: {
                final E a = expr('I', d);
                return new E("CAST(" + a.sluice + " AS VARCHAR)", "CAST(" + a.duck + " AS VARCHAR)", 'S');
            }
            default:
                return column('S');
        }
    }

    private E boolExpr(final int d) {
        switch (random.nextInt(10)) {
            case 0:
            case 1: {
                final char t = pick(new Character[] {'I', 'D', 'S', 'I'});
                final E a = expr(t, d);
                final E b = expr(t, d);
                final String op = pick(new String[] {"=", "<>", "<", "<=", ">", ">="});
                return new E("(" + a.sluice + " " + op + " " + b.sluice + ")", "(" + a.duck + " " + op + " " + b.duck + ")", 'B');
            }
            case 2: {
                final E a = expr('B', d);
                final E b = expr('B', d);
                final String op = chance(50) ? "AND" : "OR";
                return new E("(" + a.sluice + " " + op + " " + b.sluice + ")", "(" + a.duck + " " + op + " " + b.duck + ")", 'B');
            }
            case 3: {
                final E a = expr('B', d);
                return new E("(NOT " + a.sluice + ")", "(NOT " + a.duck + ")", 'B');
            }
            case 4: {
                final char t = pick(new Character[] {'I', 'S', 'D', 'B'});
                final E a = expr(t, d);
                final String op = chance(50) ? " IS NULL" : " IS NOT NULL";
                return new E("(" + a.sluice + op + ")", "(" + a.duck + op + ")", 'B');
            }
            case 5: {
                final char t = chance(50) ? 'I' : 'S';
                final E a = expr(t, d);
                final StringBuilder list = new StringBuilder();
                final int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.append(i > 0 ? ", " : "").append(chance(10) ? "NULL" : literal(t).sluice);
                }
                final String not = chance(30) ? " NOT" : "";
                return new E("(" + a.sluice + not + " IN (" + list + "))", "(" + a.duck + not + " IN (" + list + "))", 'B');
            }
            case 6: {
                final E a = expr('I', d);
                final int lo = random.nextInt(7) - 3;
                final String r = " BETWEEN " + lo + " AND " + (lo + random.nextInt(5));
                return new E("(" + a.sluice + r + ")", "(" + a.duck + r + ")", 'B');
            }
            case 7: {
                final E s = expr('S', d);
                final String not = chance(25) ? " NOT" : "";
                final String p = " LIKE '" + pick(PATTERNS) + "'";
                return new E("(" + s.sluice + not + p + ")", "(" + s.duck + not + p + ")", 'B');
            }
            default:
                return column('B');
        }
    }

    private E caseWhen(final char type, final int d) {
        final E c = expr('B', d);
        final E a = expr(type, d);
        final E b = expr(type, d);
        return new E("CASE WHEN " + c.sluice + " THEN " + a.sluice + " ELSE " + b.sluice + " END",
            "CASE WHEN " + c.duck + " THEN " + a.duck + " ELSE " + b.duck + " END", type);
    }

    private E coalesce(final char type, final int d) {
        final E a = expr(type, d);
        final E b = expr(type, d);
        return new E("COALESCE(" + a.sluice + ", " + b.sluice + ")", "COALESCE(" + a.duck + ", " + b.duck + ")", type);
    }

    private static String[] col(final String name, final String type) {
        return new String[] {name, type};
    }

    /** Sets the scope to one table (t1 or t2 or the empty e) or a join of t1 with t2; returns its FROM clause. */
    private String[] from() {
        final int shape = random.nextInt(10);
        final List<String[]> t1 = List.of(col("t1.a", "I"), col("t1.b", "I"), col("t1.s", "S"), col("t1.x", "D"), col("t1.f", "B"));
        final List<String[]> t2 = List.of(col("t2.a", "I"), col("t2.c", "I"), col("t2.s", "S"), col("t2.y", "D"));
        columns = new ArrayList<>();
        if (shape < 5) {
            final String table = shape == 4 ? "e" : "t1";
            for (final String[] c : t1) {
                columns.add(col(c[0].replace("t1.", table + "."), c[1]));
            }
            return new String[] {table, table};
        }
        if (shape == 5) {
            columns.addAll(t2);
            return new String[] {"t2", "t2"};
        }
        columns.addAll(t1);
        columns.addAll(t2);
        final String kind = pick(new String[] {"JOIN", "JOIN", "LEFT JOIN", "LEFT JOIN", "RIGHT JOIN"});
        String on = chance(70) ? "t1.a = t2.a" : "t1.b = t2.c";
        String onDuck = on;
        if (chance(35)) {
            // A residual: over the left side, the right side, or (inner joins only) both.
            final List<String[]> saved = columns;
            final int side = random.nextInt(kind.equals("JOIN") ? 3 : 2);
            columns = side == 0 ? new ArrayList<>(t1) : side == 1 ? new ArrayList<>(t2) : saved;
            final E r = expr('B', 2);
            columns = saved;
            on += " AND " + r.sluice;
            onDuck += " AND " + r.duck;
        }
        return new String[] {"t1 " + kind + " t2 ON " + on, "t1 " + kind + " t2 ON " + onDuck};
    }

    Query next() {
        final int shape = random.nextInt(10);
        if (shape < 3) {
            return select();
        } else if (shape < 6) {
            return groupBy();
        } else if (shape == 6) {
            return union();
        } else if (shape == 7) {
            return subquery();
        }
        return globalAggregate();
    }

    private Query select() {
        final String[] from = from();
        final int n = 1 + random.nextInt(4);
        final StringBuilder s = new StringBuilder();
        final StringBuilder d = new StringBuilder();
        for (int i = 0; i < n; i++) {
            final E e = expr(pick(new Character[] {'I', 'D', 'S', 'B'}), 3);
            s.append(i > 0 ? ", " : "").append(e.sluice).append(" AS c").append(i);
            d.append(i > 0 ? ", " : "").append(e.duck).append(" AS c").append(i);
        }
        final String distinct = chance(20) ? "DISTINCT " : "";
        String sq = "SELECT " + distinct + s + " FROM " + from[0];
        String dq = "SELECT " + distinct + d + " FROM " + from[1];
        if (chance(60)) {
            final E w = expr('B', 3);
            sq += " WHERE " + w.sluice;
            dq += " WHERE " + w.duck;
        }
        if (chance(30)) {
            final StringBuilder so = new StringBuilder();
            final StringBuilder dO = new StringBuilder();
            for (int i = 0; i < n; i++) {
                final boolean asc = chance(50);
                so.append(i > 0 ? ", " : "").append("c").append(i).append(asc ? " ASC" : " DESC");
                dO.append(i > 0 ? ", " : "").append("c").append(i).append(asc ? " ASC NULLS LAST" : " DESC NULLS FIRST");
            }
            final int limit = random.nextInt(8);
            return new Query(sq + " ORDER BY " + so + " LIMIT " + limit, dq + " ORDER BY " + dO + " LIMIT " + limit, true);
        }
        return new Query(sq, dq, false);
    }

    private E aggregate() {
        final int k = random.nextInt(7);
        switch (k) {
            case 0:
                return new E("COUNT(*)", 'I');
            case 1: {
                final E e = expr(pick(new Character[] {'I', 'S', 'D'}), 1);
                return new E("COUNT(" + e.sluice + ")", "COUNT(" + e.duck + ")", 'I');
            }
            default: {
                final String fn = pick(new String[] {"SUM", "MIN", "MAX", "AVG"});
                final E e = expr(chance(60) ? 'I' : 'D', 2);
                return new E(fn + "(" + e.sluice + ")", fn + "(" + e.duck + ")", 'D');
            }
        }
    }

    private Query aggregates(final String keysSluice, final String keysDuck, final String groupBy) {
        final String[] from = from();
        final int n = 1 + random.nextInt(3);
        final StringBuilder s = new StringBuilder(keysSluice);
        final StringBuilder d = new StringBuilder(keysDuck);
        for (int i = 0; i < n; i++) {
            final E a = aggregate();
            s.append(s.length() > 0 ? ", " : "").append(a.sluice);
            d.append(d.length() > 0 ? ", " : "").append(a.duck);
        }
        if (chance(35)) {
            final E e = column(pick(new Character[] {'I', 'S'}));
            final String fn = chance(70) ? "COUNT" : "SUM";
            final String arg = e.type == 'S' && fn.equals("SUM") ? "CHAR_LENGTH(" + e.sluice + ")" : e.sluice;
            final String argDuck = e.type == 'S' && fn.equals("SUM") ? "LENGTH(" + e.duck + ")" : e.duck;
            s.append(s.length() > 0 ? ", " : "").append(fn).append("(DISTINCT ").append(arg).append(")");
            d.append(d.length() > 0 ? ", " : "").append(fn).append("(DISTINCT ").append(argDuck).append(")");
        }
        String sq = "SELECT " + s + " FROM " + from[0];
        String dq = "SELECT " + d + " FROM " + from[1];
        if (chance(50)) {
            final E w = expr('B', 2);
            sq += " WHERE " + w.sluice;
            dq += " WHERE " + w.duck;
        }
        return new Query(sq + groupBy, dq + groupBy, false);
    }

    private Query groupBy() {
        // Keys are chosen after the FROM clause sets the scope, so build the query in two steps.
        final long state = random.nextLong();
        final Random keyRandom = new Random(state);
        final Query base = aggregates("", "", "");
        final List<String[]> scope = columns;
        final String[] key = scope.get(keyRandom.nextInt(scope.size()));
        final String keyExpr = key[1].equals("I") && keyRandom.nextBoolean() ? "(" + key[0] + " % 3)" : key[0];
        final String having = keyRandom.nextInt(3) == 0 ? " HAVING COUNT(*) > 1" : "";
        return new Query(base.sluice.replaceFirst("SELECT ", "SELECT " + keyExpr + ", ") + " GROUP BY " + keyExpr + having,
            base.duck.replaceFirst("SELECT ", "SELECT " + keyExpr + ", ") + " GROUP BY " + keyExpr + having, false);
    }

    private Query globalAggregate() {
        return aggregates("", "", "");
    }

    private Query union() {
        final Query a = simpleInts();
        final Query b = simpleInts();
        final String op = chance(70) ? " UNION ALL " : " UNION ";
        return new Query(a.sluice + op + b.sluice, a.duck + op + b.duck, false);
    }

    private Query simpleInts() {
        final String[] from = from();
        final E a = expr('I', 2);
        final E s = expr('S', 2);
        final E w = expr('B', 2);
        return new Query("SELECT " + a.sluice + ", " + s.sluice + " FROM " + from[0] + " WHERE " + w.sluice,
            "SELECT " + a.duck + ", " + s.duck + " FROM " + from[1] + " WHERE " + w.duck, false);
    }

    private Query subquery() {
        final String[] from = from();
        final E a = expr('I', 2);
        final E s = expr('S', 2);
        final E w = expr('B', 2);
        final String inner = "SELECT " + a.sluice + " AS p, " + s.sluice + " AS q FROM " + from[0] + " WHERE " + w.sluice;
        final String innerDuck = "SELECT " + a.duck + " AS p, " + s.duck + " AS q FROM " + from[1] + " WHERE " + w.duck;
        columns = List.of(col("sub.p", "I"), col("sub.q", "S"));
        final E o = expr('B', 2);
        final E p = expr('I', 2);
        if (chance(50)) {
            return new Query("SELECT sub.q, COUNT(*), SUM(sub.p) FROM (" + inner + ") AS sub WHERE " + o.sluice + " GROUP BY sub.q",
                "SELECT sub.q, COUNT(*), SUM(sub.p) FROM (" + innerDuck + ") AS sub WHERE " + o.duck + " GROUP BY sub.q", false);
        }
        return new Query("SELECT " + p.sluice + ", sub.q FROM (" + inner + ") AS sub WHERE " + o.sluice,
            "SELECT " + p.duck + ", sub.q FROM (" + innerDuck + ") AS sub WHERE " + o.duck, false);
    }
}
