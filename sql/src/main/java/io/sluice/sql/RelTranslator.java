package io.sluice.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.SortKey;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Relational algebra onto Sluice operators, bottom-up: scan -> the registered dataset, project -> select,
 * filter -> filter, aggregate -> groupBy/agg ({@link AggregateTranslator}), join -> hash join
 * ({@link JoinTranslator}), sort -> orderBy/limit, union -> union (+ distinct), values -> rows. Builds the whole
 * plan without running anything. Not thread-safe: one instance per query.
 */
final class RelTranslator {
    final ExecutionContext ctx;
    final RexBuilder rexBuilder;
    final SupportedSyntax syntax;
    private final Map<RelNode, Translated> leaves;

    RelTranslator(final ExecutionContext ctx, final RexBuilder rexBuilder, final SupportedSyntax syntax) {
        this(ctx, rexBuilder, syntax, Map.of());
    }

    /** A translator that reads {@code leaves.get(node)} wherever the plan has {@code node} (one micro-batch of a stream). */
    RelTranslator(final ExecutionContext ctx, final RexBuilder rexBuilder, final SupportedSyntax syntax,
                  final Map<RelNode, Translated> leaves) {
        this.ctx = ctx;
        this.rexBuilder = rexBuilder;
        this.syntax = syntax;
        this.leaves = leaves;
    }

    RexTranslator rex(final Translated input) {
        return new RexTranslator(input.columns, input.types(), rexBuilder, syntax);
    }

    Translated translate(final RelNode rel) {
        final Translated leaf = leaves.get(rel);
        if (leaf != null) {
            return leaf;
        }
        if (rel instanceof TableScan) {
            final DatasetTable table = rel.getTable().unwrap(DatasetTable.class);
            if (table == null) {
                throw syntax.error("table '" + String.join(".", rel.getTable().getQualifiedName()) + "' is a stream: query it"
                    + " with SqlSession.stream(query)", null, null);
            }
            final Dataset ds = table.dataset();
            return new Translated(ds, ds.schema().fields().stream().map(Field::name).toList(),
                "Scan " + String.join(".", rel.getTable().getQualifiedName()) + " " + ds.schema(), List.of());
        } else if (rel instanceof Project) {
            return project((Project) rel);
        } else if (rel instanceof Filter) {
            final Translated in = translate(((Filter) rel).getInput());
            final Expr predicate = rex(in).expr(((Filter) rel).getCondition());
            return new Translated(in.dataset.filter(predicate), in.columns, "Filter " + predicate, List.of(in));
        } else if (rel instanceof Aggregate) {
            return new AggregateTranslator(this).translate((Aggregate) rel);
        } else if (rel instanceof Join) {
            return new JoinTranslator(this).translate((Join) rel);
        } else if (rel instanceof Sort) {
            return sort((Sort) rel);
        } else if (rel instanceof Union) {
            return union((Union) rel);
        } else if (rel instanceof Values) {
            return values((Values) rel);
        }
        throw syntax.error("unsupported relational operator " + rel.getRelTypeName(), null, null);
    }

    /** {@code hint} or a variant of it that is not in {@code used}; adds the result to {@code used}. */
    static String unique(final String hint, final Set<String> used) {
        String name = hint;
        for (int i = 0; !used.add(name); i++) {
            name = hint + "$" + i;
        }
        return name;
    }

    private Translated project(final Project project) {
        final Translated in = translate(project.getInput());
        final RexTranslator rx = rex(in);
        final List<RexNode> projects = project.getProjects();
        final List<String> fieldNames = project.getRowType().getFieldNames();
        final List<Expr> exprs = new ArrayList<>();
        final List<String> columns = new ArrayList<>();
        final Set<String> used = new HashSet<>();
        boolean identity = projects.size() == in.columns.size();
        for (int i = 0; i < projects.size(); i++) {
            final RexNode node = projects.get(i);
            if (node instanceof RexInputRef && used.add(in.columns.get(((RexInputRef) node).getIndex()))) {
                final String name = in.columns.get(((RexInputRef) node).getIndex());
                identity &= ((RexInputRef) node).getIndex() == i;
                exprs.add(Expr.col(name));
                columns.add(name);
            } else {
                identity = false;
                final String name = unique(fieldNames.get(i), used);
                exprs.add(rx.translate(node).expr.as(name));
                columns.add(name);
            }
        }
        if (identity) {
            return in;
        }
        return new Translated(in.dataset.select(exprs.toArray(new Expr[0])), columns, "Project " + exprs, List.of(in));
    }

    private Translated sort(final Sort sort) {
        final Translated in = translate(sort.getInput());
        if (sort.offset != null) {
            throw syntax.error("unsupported: OFFSET", "OFFSET", null);
        }
        final List<SortKey> keys = new ArrayList<>();
        for (final RelFieldCollation fc : sort.getCollation().getFieldCollations()) {
            final String column = in.columns.get(fc.getFieldIndex());
            final boolean ascending = !fc.getDirection().isDescending();
            final RelFieldCollation.NullDirection nulls = fc.nullDirection;
            if (nulls != RelFieldCollation.NullDirection.UNSPECIFIED
                && nulls != (ascending ? RelFieldCollation.NullDirection.LAST : RelFieldCollation.NullDirection.FIRST)) {
                throw syntax.error("unsupported: NULLS " + nulls + " with " + (ascending ? "ASC" : "DESC")
                    + " (Sluice sorts nulls last ascending, first descending)", ascending ? "NULLS_FIRST" : "NULLS_LAST", null);
            }
            keys.add(ascending ? SortKey.asc(column) : SortKey.desc(column));
        }
        Dataset ds = in.dataset;
        String label = "";
        if (!keys.isEmpty()) {
            ds = ds.orderBy(keys.toArray(new SortKey[0]));
            label = "Sort " + keys;
        }
        if (sort.fetch != null) {
            if (!(sort.fetch instanceof RexLiteral)) {
                throw syntax.error("unsupported: LIMIT needs a constant", "FETCH", null);
            }
            final int n = ((RexLiteral) sort.fetch).getValueAs(Integer.class);
            ds = ds.limit(n);
            label = (label.isEmpty() ? "Limit " : label + " limit ") + n;
        }
        return label.isEmpty() ? in : new Translated(ds, in.columns, label, List.of(in));
    }

    private Translated union(final Union union) {
        final List<String> names = new ArrayList<>();
        final Set<String> used = new HashSet<>();
        for (final String n : union.getRowType().getFieldNames()) {
            names.add(unique(n, used));
        }
        final List<Translated> inputs = new ArrayList<>();
        Dataset ds = null;
        for (final RelNode input : union.getInputs()) {
            final Translated t = translate(input);
            inputs.add(t);
            final Expr[] exprs = new Expr[names.size()];
            for (int i = 0; i < exprs.length; i++) {
                final ColumnType type = SqlTypes.columnType(union.getRowType().getFieldList().get(i).getType());
                exprs[i] = Expr.col(t.columns.get(i)).cast(type).as(names.get(i));
            }
            final Dataset side = t.dataset.select(exprs);
            ds = ds == null ? side : ds.union(side);
        }
        if (!union.all) {
            ds = ds.distinct();
        }
        return new Translated(ds, names, union.all ? "UnionAll" : "Union (distinct)", inputs);
    }

    private Translated values(final Values values) {
        final List<Field> fields = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final Set<String> used = new HashSet<>();
        for (final RelDataTypeField f : values.getRowType().getFieldList()) {
            final ColumnType type = SqlTypes.columnType(f.getType());
            if (type == null) {
                throw syntax.error("unsupported type " + f.getType() + " in VALUES", "VALUES", null);
            }
            final String name = unique(f.getName(), used);
            names.add(name);
            fields.add(Field.nullable(name, type));
        }
        final List<Object[]> rows = new ArrayList<>();
        for (final List<RexLiteral> tuple : values.getTuples()) {
            final Object[] row = new Object[fields.size()];
            for (int i = 0; i < row.length; i++) {
                final RexLiteral lit = tuple.get(i);
                row[i] = lit.isNull() ? null : RexTranslator.javaValue(lit.getValueAs(Comparable.class), fields.get(i).type());
            }
            rows.add(row);
        }
        final Schema schema = new Schema(fields);
        return new Translated(ctx.fromRows(schema, rows, 1), names, "Values " + rows.size() + " rows " + schema, List.of());
    }
}
