package io.sluice.sql;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;

/**
 * SQL over the {@link Dataset}s of one {@link ExecutionContext}. Register datasets under table names, then
 * {@link #sql} turns a query into a Dataset (a lazy plan of Sluice operators: nothing runs until an action such as
 * {@code collect()}), and {@link #explain} shows that plan. Table and column names are case-sensitive
 * ({@code Lex.JAVA}; quote with back-quotes). Thread-safe: registration and planning may come from any thread.
 *
 * <p>Every error (syntax, unknown table or column, type, unsupported construct) is a {@link SqlException} naming the
 * construct and its line and column, thrown before anything runs.
 */
public final class SqlSession {
    private final ExecutionContext ctx;
    private final Map<String, Dataset> tables = new LinkedHashMap<>();

    private SqlSession(final ExecutionContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /** A session with no tables over {@code ctx}. */
    public static SqlSession on(final ExecutionContext ctx) {
        return new SqlSession(ctx);
    }

    public ExecutionContext context() {
        return ctx;
    }

    /** Registers (or replaces) table {@code name}; the dataset must belong to this session's context. */
    public synchronized SqlSession register(final String name, final Dataset dataset) {
        Objects.requireNonNull(name, "name");
        if (dataset.context() != ctx) {
            throw new IllegalArgumentException("table '" + name + "': dataset belongs to another ExecutionContext");
        }
        tables.put(name, dataset);
        return this;
    }

    /** Registers the batch files {@code part-*.sbf} in {@code dir} (as written by {@code Dataset.write}) as {@code name}. */
    public SqlSession registerFiles(final String name, final Path dir) {
        return register(name, ctx.readFiles(dir));
    }

    /** Removes table {@code name}; returns whether it was registered. */
    public synchronized boolean drop(final String name) {
        return tables.remove(name) != null;
    }

    /** The registered table names, in registration order. */
    public synchronized List<String> tables() {
        return List.copyOf(tables.keySet());
    }

    /** The query as a Dataset whose columns are the query's output columns, in order. Runs nothing. */
    public Dataset sql(final String query) {
        return plan(query).dataset;
    }

    /** Sluice's plan for {@code query}: one operator a line, inputs indented below the operator that reads them. */
    public String explain(final String query) {
        return plan(query).explain();
    }

    private Translated plan(final String query) {
        final Map<String, Dataset> snapshot;
        synchronized (this) {
            snapshot = new LinkedHashMap<>(tables);
        }
        final SqlPlanner planner = new SqlPlanner(snapshot);
        final RelNode rel = planner.plan(query);
        final RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        try {
            final Translated t = new RelTranslator(ctx, rexBuilder, planner.syntax()).translate(rel);
            return named(t, planner.outputNames());
        } catch (final IllegalArgumentException | IllegalStateException ex) {
            // A type or shape error found by a Sluice operator while the plan was built (nothing has run).
            throw planner.syntax().error("cannot plan: " + ex.getMessage(), null, ex);
        }
    }

    /** {@code t} with its columns named as the query's output fields. */
    private static Translated named(final Translated t, final List<String> names) {
        if (t.columns.equals(names)) {
            return t;
        }
        final Expr[] exprs = new Expr[names.size()];
        for (int i = 0; i < exprs.length; i++) {
            exprs[i] = t.columns.get(i).equals(names.get(i)) ? Expr.col(names.get(i)) : Expr.col(t.columns.get(i)).as(names.get(i));
        }
        return new Translated(t.dataset.select(exprs), names, "Project as " + names, List.of(t));
    }
}
