package io.sluice.sql;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.ColumnType;

/**
 * One relational node translated onto Sluice: its dataset, the dataset column that holds each field of the node's
 * row type (by field index; two fields may share a column, as an inner join's equal keys do), and the node's line of
 * the Sluice plan with its inputs. Immutable.
 */
final class Translated {
    final Dataset dataset;
    final List<String> columns;
    final String label;
    final List<Translated> inputs;

    Translated(final Dataset dataset, final List<String> columns, final String label, final List<Translated> inputs) {
        for (final String c : columns) {
            if (!dataset.schema().contains(c)) {
                throw new IllegalStateException("column '" + c + "' of " + columns + " is not in " + dataset.schema());
            }
        }
        this.dataset = dataset;
        this.columns = List.copyOf(columns);
        this.label = label;
        this.inputs = List.copyOf(inputs);
    }

    ColumnType type(final int field) {
        return dataset.schema().field(columns.get(field)).type();
    }

    /** The column type of every field, in field order. */
    List<ColumnType> types() {
        final List<ColumnType> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(type(i));
        }
        return out;
    }

    /** This node with one dataset column per field (fields sharing a column get copies under fresh names). */
    Translated distinctColumns() {
        final java.util.Set<String> used = new java.util.HashSet<>(columns);
        if (used.size() == columns.size() && columns.size() == dataset.schema().fieldCount()) {
            return this;
        }
        final java.util.Set<String> seen = new java.util.HashSet<>();
        final List<String> out = new ArrayList<>();
        final io.sluice.engine.dataset.Expr[] exprs = new io.sluice.engine.dataset.Expr[columns.size()];
        for (int i = 0; i < exprs.length; i++) {
            final String c = columns.get(i);
            if (seen.add(c)) {
                exprs[i] = io.sluice.engine.dataset.Expr.col(c);
                out.add(c);
            } else {
                final String copy = RelTranslator.unique(c, used);
                exprs[i] = io.sluice.engine.dataset.Expr.col(c).as(copy);
                out.add(copy);
            }
        }
        return new Translated(dataset.select(exprs), out, "Project " + out, List.of(this));
    }

    /** The plan below this node, one operator a line, inputs indented under their consumer. */
    String explain() {
        final StringBuilder sb = new StringBuilder();
        explain(sb, 0);
        return sb.toString();
    }

    private void explain(final StringBuilder sb, final int depth) {
        sb.append("  ".repeat(depth)).append(label).append('\n');
        for (final Translated in : inputs) {
            in.explain(sb, depth + 1);
        }
    }

    static List<Translated> of(final Translated... inputs) {
        return new ArrayList<>(List.of(inputs));
    }
}
