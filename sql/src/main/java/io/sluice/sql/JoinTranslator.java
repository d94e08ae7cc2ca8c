package io.sluice.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.JoinType;
import io.sluice.memory.ColumnType;

/**
 * Inner, left and right joins onto Sluice's hash join on the equality keys. The rest of the condition (the residual)
 * filters an inner join's output. For an outer join, residual conjuncts over the inner (null-padded) side filter that
 * input, and conjuncts over the outer side decide whether an outer row may match at all: its first key is nulled
 * where they are not true, and null keys never match. Conjuncts over both sides of an outer join are not supported.
 * A join without equality keys joins on a constant. A right join is a left join with its inputs swapped.
 */
final class JoinTranslator {
    private final RelTranslator rel;

    JoinTranslator(final RelTranslator rel) {
        this.rel = rel;
    }

    Translated translate(final Join join) {
        final JoinRelType type = join.getJoinType();
        if (type != JoinRelType.INNER && type != JoinRelType.LEFT && type != JoinRelType.RIGHT) {
            throw rel.syntax.error("unsupported: " + type + " join", type == JoinRelType.FULL ? "FULL" : null, null);
        }
        final Translated left = rel.translate(join.getLeft()).distinctColumns();
        final Translated rightIn = rel.translate(join.getRight()).distinctColumns();
        final JoinInfo info = join.analyzeCondition();
        final Translated right = renameApart(rightIn, left, type == JoinRelType.INNER ? sharedKeys(left, rightIn, info) : Set.of());
        final Sides sides = new Sides(left, right, names(left, info.leftKeys), names(right, info.rightKeys));
        final RexNode residual = RexUtil.composeConjunction(rel.rexBuilder, info.nonEquiConditions);
        if (type == JoinRelType.INNER) {
            final Translated joined = equiJoin(left, sides.lk, right, sides.rk, JoinType.INNER, sides.columns);
            if (residual.isAlwaysTrue()) {
                return joined;
            }
            final Expr predicate = sides.combined(rel).expr(residual);
            return new Translated(joined.dataset.filter(predicate), sides.columns, "Filter " + predicate, List.of(joined));
        }
        return outer(sides, residual, type == JoinRelType.LEFT);
    }

    /** The two translated inputs of a join, their key columns, and the columns of the joined row. */
    private static final class Sides {
        final Translated left;
        final Translated right;
        final List<String> lk;
        final List<String> rk;
        final List<String> columns;

        Sides(final Translated left, final Translated right, final List<String> lk, final List<String> rk) {
            this.left = left;
            this.right = right;
            this.lk = lk;
            this.rk = rk;
            this.columns = concat(left.columns, right.columns);
        }

        /** Expressions over the joined row (left fields, then right fields). */
        RexTranslator combined(final RelTranslator rel) {
            final List<ColumnType> types = new ArrayList<>(left.types());
            types.addAll(right.types());
            return new RexTranslator(columns, types, rel.rexBuilder, rel.syntax);
        }
    }

    /**
     * An inner join's right keys named and typed like their left keys: they need no column of their own, since
     * Sluice's join drops them and the field reads the left key, which holds the same value on every output row.
     */
    private static Set<String> sharedKeys(final Translated left, final Translated right, final JoinInfo info) {
        final Set<String> shared = new HashSet<>();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            final String l = left.columns.get(info.leftKeys.get(i));
            final String r = right.columns.get(info.rightKeys.get(i));
            if (l.equals(r) && left.type(info.leftKeys.get(i)) == right.type(info.rightKeys.get(i))) {
                shared.add(r);
            }
        }
        return shared;
    }

    /** A left join (a right join with its inputs swapped): residual conjuncts filter the inner side or gate the outer. */
    private Translated outer(final Sides s, final RexNode residual, final boolean outerIsLeft) {
        final int leftCount = s.left.columns.size();
        final int outerFrom = outerIsLeft ? 0 : leftCount;
        final int outerTo = outerIsLeft ? leftCount : s.columns.size();
        final List<RexNode> outerOnly = new ArrayList<>();
        final List<RexNode> innerOnly = new ArrayList<>();
        for (final RexNode conjunct : RelOptUtil.conjunctions(residual)) {
            final List<Integer> refs = RelOptUtil.InputFinder.bits(conjunct).asList();
            final long onOuter = refs.stream().filter(i -> i >= outerFrom && i < outerTo).count();
            if (onOuter == refs.size()) {
                outerOnly.add(conjunct);
            } else if (onOuter == 0) {
                innerOnly.add(conjunct);
            } else {
                throw rel.syntax.error("unsupported: an outer join condition over both sides that is not an equality: "
                    + conjunct, "JOIN", null);
            }
        }
        final RexTranslator combined = s.combined(rel);
        final OuterJoin j = new OuterJoin(outerIsLeft ? s.left : s.right, outerIsLeft ? s.right : s.left,
            outerIsLeft ? s.lk : s.rk, outerIsLeft ? s.rk : s.lk);
        if (!innerOnly.isEmpty()) {
            final Expr predicate = combined.expr(RexUtil.composeConjunction(rel.rexBuilder, innerOnly));
            j.inner = new Translated(j.inner.dataset.filter(predicate), j.inner.columns, "Filter " + predicate, List.of(j.inner));
        }
        if (!outerOnly.isEmpty()) {
            j.gate(combined.expr(RexUtil.composeConjunction(rel.rexBuilder, outerOnly)), new HashSet<>(s.columns));
        }
        final List<String> outerCols = outerIsLeft ? s.left.columns : s.right.columns;
        final List<String> innerCols = outerIsLeft ? s.right.columns : s.left.columns;
        final Translated joined = equiJoin(j.outer, j.outerKeys, j.inner, j.innerKeys, JoinType.LEFT, concat(outerCols, innerCols));
        if (outerIsLeft) {
            return joined;
        }
        return new Translated(joined.dataset.select(s.columns.toArray(new String[0])), s.columns, "Project " + s.columns,
            List.of(joined));
    }

    /** The outer (row-preserving) and inner (null-padded) inputs of a left join and their keys, as gating changes them. */
    private static final class OuterJoin {
        Translated outer;
        Translated inner;
        List<String> outerKeys;
        List<String> innerKeys;

        OuterJoin(final Translated outer, final Translated inner, final List<String> outerKeys, final List<String> innerKeys) {
            this.outer = outer;
            this.inner = inner;
            this.outerKeys = outerKeys;
            this.innerKeys = innerKeys;
        }

        /** An outer row may match only where {@code allowed} is true: its first key (or a constant one) is nulled elsewhere. */
        void gate(final Expr allowed, final Set<String> used) {
            final String gate = RelTranslator.unique("$gate", used);
            final Expr key = outerKeys.isEmpty() ? Expr.lit(0) : Expr.col(outerKeys.get(0));
            final ColumnType keyType = outerKeys.isEmpty() ? ColumnType.INT32 : outer.type(outer.columns.indexOf(outerKeys.get(0)));
            outer = withColumn(outer, Expr.caseWhen(List.of(allowed), List.of(key), Expr.nullOf(keyType)), gate,
                "gate " + allowed);
            final List<String> gated = new ArrayList<>(outerKeys);
            if (outerKeys.isEmpty()) {
                final String one = RelTranslator.unique("$one", used);
                inner = withColumn(inner, Expr.lit(0), one, "constant key");
                gated.add(gate);
                innerKeys = List.of(one);
            } else {
                gated.set(0, gate);
            }
            outerKeys = gated;
        }
    }

    private static List<String> names(final Translated t, final List<Integer> fields) {
        final List<String> out = new ArrayList<>();
        for (final int f : fields) {
            out.add(t.columns.get(f));
        }
        return out;
    }

    private static List<String> concat(final List<String> a, final List<String> b) {
        final List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** {@code t} plus column {@code name} = {@code expr}. */
    private static Translated withColumn(final Translated t, final Expr expr, final String name, final String why) {
        final Expr[] exprs = new Expr[t.columns.size() + 1];
        for (int i = 0; i < t.columns.size(); i++) {
            exprs[i] = Expr.col(t.columns.get(i));
        }
        exprs[t.columns.size()] = expr.as(name);
        return new Translated(t.dataset.select(exprs), concat(t.columns, List.of(name)), "Project + " + name + " = " + why,
            List.of(t));
    }

    /** {@code right} with every column whose name the left side uses renamed apart, except the {@code shared} keys. */
    private static Translated renameApart(final Translated right, final Translated left, final Set<String> shared) {
        final Set<String> used = new HashSet<>(left.columns);
        used.addAll(right.columns);
        final List<String> cols = new ArrayList<>();
        final Expr[] exprs = new Expr[right.columns.size()];
        boolean renamed = false;
        for (int i = 0; i < exprs.length; i++) {
            final String c = right.columns.get(i);
            if (left.columns.contains(c) && !shared.contains(c)) {
                final String name = RelTranslator.unique(c + "$r", used);
                exprs[i] = Expr.col(c).as(name);
                cols.add(name);
                renamed = true;
            } else {
                exprs[i] = Expr.col(c);
                cols.add(c);
            }
        }
        return renamed ? new Translated(right.dataset.select(exprs), cols, "Project rename " + cols, List.of(right)) : right;
    }

    /**
     * Sluice's hash join of {@code l} and {@code r} on the named keys (none: a constant key); keys of different numeric
     * types are cast to the wider one first. The result keeps the columns {@code keep}, in that order.
     */
    private static Translated equiJoin(final Translated l, final List<String> lk, final Translated r, final List<String> rk,
                                       final JoinType type, final List<String> keep) {
        final Set<String> used = new HashSet<>(l.columns);
        used.addAll(r.columns);
        Translated a = l;
        Translated b = r;
        final List<String> aKeys = new ArrayList<>();
        final List<String> bKeys = new ArrayList<>();
        if (lk.isEmpty()) {
            final String an = RelTranslator.unique("$one", used);
            final String bn = RelTranslator.unique("$one", used);
            a = withColumn(a, Expr.lit(0), an, "constant key");
            b = withColumn(b, Expr.lit(0), bn, "constant key");
            aKeys.add(an);
            bKeys.add(bn);
        }
        for (int i = 0; i < lk.size(); i++) {
            final ColumnType at = a.type(a.columns.indexOf(lk.get(i)));
            final ColumnType bt = b.type(b.columns.indexOf(rk.get(i)));
            if (at == bt) {
                aKeys.add(lk.get(i));
                bKeys.add(rk.get(i));
                continue;
            }
            final ColumnType wide = at == ColumnType.FLOAT64 || bt == ColumnType.FLOAT64 ? ColumnType.FLOAT64 : ColumnType.INT64;
            final String an = RelTranslator.unique("$key", used);
            final String bn = RelTranslator.unique("$key", used);
            a = withColumn(a, Expr.col(lk.get(i)).cast(wide), an, "cast key to " + wide);
            b = withColumn(b, Expr.col(rk.get(i)).cast(wide), bn, "cast key to " + wide);
            aKeys.add(an);
            bKeys.add(bn);
        }
        final Dataset joined = a.dataset.join(b.dataset, aKeys, bKeys, type);
        final List<String> all = concat(a.columns, b.columns);
        final Translated t = new Translated(joined, all, "HashJoin " + type + " " + aKeys + " = " + bKeys, List.of(a, b));
        if (all.equals(keep)) {
            return t;
        }
        final String[] physical = new java.util.LinkedHashSet<>(keep).toArray(new String[0]);
        return new Translated(joined.select(physical), keep, "Project " + List.of(physical), List.of(t));
    }
}
