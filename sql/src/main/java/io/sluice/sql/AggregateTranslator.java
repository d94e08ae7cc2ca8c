package io.sluice.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.memory.ColumnType;

/**
 * GROUP BY (or a global aggregate) onto Sluice's hash aggregate. COUNT / SUM / MIN / MAX / AVG map one to one.
 * DISTINCT aggregates over one argument run in two phases: a group-by on the keys plus the argument (which also
 * computes partial non-distinct aggregates), then a group-by on the keys that aggregates the distinct values and
 * combines the partials. Aggregates over several different DISTINCT arguments are not supported.
 */
final class AggregateTranslator {
    private final RelTranslator rel;

    AggregateTranslator(final RelTranslator rel) {
        this.rel = rel;
    }

    Translated translate(final Aggregate aggregate) {
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw rel.syntax.error("unsupported: GROUPING SETS, ROLLUP or CUBE", "GROUPING SETS", null);
        }
        // A projection that only picks columns needs no pass of its own: the aggregate reads columns by name.
        final RelNode input = aggregate.getInput();
        final boolean picksColumns = input instanceof Project
            && ((Project) input).getProjects().stream().allMatch(e -> e instanceof RexInputRef);
        final Translated in = rel.translate(picksColumns ? ((Project) input).getInput() : input);
        final List<String> fields = new ArrayList<>();
        if (picksColumns) {
            for (final RexNode e : ((Project) input).getProjects()) {
                fields.add(in.columns.get(((RexInputRef) e).getIndex()));
            }
        } else {
            fields.addAll(in.columns);
        }
        final List<String> keys = new ArrayList<>();
        for (final int k : aggregate.getGroupSet()) {
            keys.add(fields.get(k));
        }
        final Set<String> used = new HashSet<>(keys);
        final List<String> outNames = new ArrayList<>();
        final List<String> fieldNames = aggregate.getRowType().getFieldNames();
        final Set<List<Integer>> distinctArgs = new LinkedHashSet<>();
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            final AggregateCall call = aggregate.getAggCallList().get(i);
            check(call);
            outNames.add(RelTranslator.unique(fieldNames.get(keys.size() + i), used));
            if (call.isDistinct()) {
                distinctArgs.add(call.getArgList());
            }
        }
        if (distinctArgs.size() > 1) {
            throw rel.syntax.error("unsupported: DISTINCT aggregates over more than one argument list " + distinctArgs,
                "DISTINCT", null);
        }
        final List<String> columns = new ArrayList<>(keys);
        columns.addAll(outNames);
        try {
            if (distinctArgs.isEmpty()) {
                return onePhase(aggregate, in, fields, keys, outNames, columns);
            }
            return twoPhase(aggregate, in, fields, keys, outNames, columns, distinctArgs.iterator().next().get(0));
        } catch (final IllegalArgumentException ex) {
            throw rel.syntax.error("unsupported aggregate: " + ex.getMessage(), aggregate.getAggCallList().get(0)
                .getAggregation().getName(), ex);
        }
    }

    void check(final AggregateCall call) {
        final String name = call.getAggregation().getName();
        if (call.filterArg >= 0) {
            throw rel.syntax.error("unsupported: FILTER on aggregate " + name, "FILTER", null);
        }
        switch (call.getAggregation().getKind()) {
            case COUNT:
                if (call.getArgList().size() > 1) {
                    throw rel.syntax.error("unsupported: COUNT over several arguments", name, null);
                }
                break;
            case SUM:
            case SUM0:
            case MIN:
            case MAX:
            case AVG: {
                final ColumnType in = SqlTypes.columnType(call.getType());
                if (in != ColumnType.INT32 && in != ColumnType.INT64 && in != ColumnType.FLOAT64) {
                    throw rel.syntax.error("unsupported: " + name + " over " + call.getType() + " (Sluice aggregates numbers)",
                        name, null);
                }
                break;
            }
            default:
                throw rel.syntax.error("unsupported aggregate function " + name, name, null);
        }
    }

    static Agg agg(final AggregateCall call, final String column, final String as) {
        switch (call.getAggregation().getKind()) {
            case COUNT:
                return (column == null ? Agg.count() : Agg.count(column)).as(as);
            case SUM:
            case SUM0:
                return Agg.sum(column).as(as);
            case MIN:
                return Agg.min(column).as(as);
            case MAX:
                return Agg.max(column).as(as);
            default:
                return Agg.avg(column).as(as);
        }
    }

    private static Dataset aggregate(final Dataset input, final List<String> keys, final List<Agg> aggs) {
        final Agg[] a = aggs.toArray(new Agg[0]);
        return keys.isEmpty() ? input.agg(a) : input.groupBy(keys.toArray(new String[0])).agg(a);
    }

    private Translated onePhase(final Aggregate aggregate, final Translated in, final List<String> fields, final List<String> keys,
                                final List<String> outNames, final List<String> columns) {
        final List<Agg> aggs = new ArrayList<>();
        boolean sum0 = false;
        for (int i = 0; i < outNames.size(); i++) {
            final AggregateCall call = aggregate.getAggCallList().get(i);
            final String arg = call.getArgList().isEmpty() ? null : fields.get(call.getArgList().get(0));
            aggs.add(agg(call, arg, outNames.get(i)));
            sum0 |= call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.SUM0;
        }
        final Dataset ds = aggregate(in.dataset, keys, aggs);
        final String label = "HashAggregate keys=" + keys + " " + aggs;
        if (!sum0) {
            return new Translated(ds, columns, label, List.of(in));
        }
        final Translated grouped = new Translated(ds, columns, label, List.of(in));
        final List<Expr> fix = new ArrayList<>();
        for (final String k : keys) {
            fix.add(Expr.col(k));
        }
        for (int i = 0; i < outNames.size(); i++) {
            final boolean isSum0 = aggregate.getAggCallList().get(i).getAggregation().getKind()
                == org.apache.calcite.sql.SqlKind.SUM0;
            fix.add(isSum0 ? Expr.coalesce(Expr.col(outNames.get(i)), zero(grouped.type(keys.size() + i))).as(outNames.get(i))
                : Expr.col(outNames.get(i)));
        }
        return new Translated(ds.select(fix.toArray(new Expr[0])), columns, "Project " + fix, List.of(grouped));
    }

    private static Expr zero(final ColumnType type) {
        return Expr.lit(type == ColumnType.FLOAT64 ? (Object) 0.0 : type == ColumnType.INT32 ? (Object) 0 : (Object) 0L);
    }

    private Translated twoPhase(final Aggregate aggregate, final Translated in, final List<String> fields, final List<String> keys,
                                final List<String> outNames, final List<String> columns, final int distinctArg) {
        final String x = fields.get(distinctArg);
        final List<String> phase1Keys = new ArrayList<>(keys);
        if (!phase1Keys.contains(x)) {
            phase1Keys.add(x);
        }
        final Set<String> used = new HashSet<>(phase1Keys);
        used.addAll(outNames);
        final Phases phases = new Phases(keys);
        for (int i = 0; i < outNames.size(); i++) {
            final AggregateCall call = aggregate.getAggCallList().get(i);
            final String arg = call.getArgList().isEmpty() ? null : fields.get(call.getArgList().get(0));
            phases.add(call, i, call.isDistinct() ? x : arg, outNames.get(i), used);
        }
        final Dataset phase1 = aggregate(in.dataset, phase1Keys, phases.partial);
        final List<String> phase1Columns = new ArrayList<>(phase1Keys);
        phases.partial.forEach(a -> phase1Columns.add(a.name()));
        final Translated first = new Translated(phase1, phase1Columns, "HashAggregate keys=" + phase1Keys + " " + phases.partial,
            List.of(in));
        final Dataset phase2 = aggregate(phase1, keys, phases.combine);
        final List<String> phase2Columns = new ArrayList<>(keys);
        phases.combine.forEach(a -> phase2Columns.add(a.name()));
        final Translated second = new Translated(phase2, phase2Columns, "HashAggregate keys=" + keys + " " + phases.combine,
            List.of(first));
        return new Translated(phase2.select(phases.finish.toArray(new Expr[0])), columns, "Project " + phases.finish,
            List.of(second));
    }

    /**
     * The two phases of a DISTINCT aggregation: partial aggregates per (keys, distinct argument), their combination per
     * keys, and the projection that finishes each output (COUNT's null to 0, AVG's sum / count).
     */
    private static final class Phases {
        final List<Agg> partial = new ArrayList<>();
        final List<Agg> combine = new ArrayList<>();
        final List<Expr> finish = new ArrayList<>();

        Phases(final List<String> keys) {
            for (final String k : keys) {
                finish.add(Expr.col(k));
            }
        }

        /** Aggregate call {@code i} over {@code arg} (the distinct argument for a DISTINCT call) as output {@code out}. */
        void add(final AggregateCall call, final int i, final String arg, final String out, final Set<String> used) {
            if (call.isDistinct()) {
                combine.add(agg(call, arg, out));
                finish.add(Expr.col(out));
                return;
            }
            final String p = RelTranslator.unique("$p" + i, used);
            switch (call.getAggregation().getKind()) {
                case COUNT:
                    partial.add((arg == null ? Agg.count() : Agg.count(arg)).as(p));
                    combine.add(Agg.sum(p).as(out));
                    finish.add(Expr.coalesce(Expr.col(out), Expr.lit(0L)).as(out));
                    break;
                case AVG: {
                    final String n = RelTranslator.unique("$n" + i, used);
                    final String s = RelTranslator.unique("$s" + i, used);
                    partial.add(Agg.sum(arg).as(p));
                    partial.add(Agg.count(arg).as(n));
                    combine.add(Agg.sum(p).as(s));
                    combine.add(Agg.sum(n).as(out));
                    finish.add(Expr.col(s).cast(ColumnType.FLOAT64).div(Expr.col(out).cast(ColumnType.FLOAT64)).as(out));
                    break;
                }
                case SUM0:
                    partial.add(Agg.sum(arg).as(p));
                    combine.add(Agg.sum(p).as(out));
                    finish.add(Expr.coalesce(Expr.col(out), Expr.lit(0L)).cast(SqlTypes.columnType(call.getType())).as(out));
                    break;
                default:
                    partial.add(agg(call, arg, p));
                    combine.add(agg(call, p, out));
                    finish.add(Expr.col(out));
                    break;
            }
        }
    }
}
