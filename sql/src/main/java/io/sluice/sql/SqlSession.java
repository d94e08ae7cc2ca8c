package io.sluice.sql;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.engine.stream.dstream.DStream;

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
    private final Map<String, StreamTable> streams = new LinkedHashMap<>();

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
        streams.remove(name);
        tables.put(name, dataset);
        return this;
    }

    /**
     * Registers (or replaces) stream {@code name} for {@link #stream} queries. {@code eventTimeColumn} (INT64 epoch
     * millis, never null) is the event time: a TIMESTAMP(3) in SQL, the column of TUMBLE, HOP, SESSION and DESCRIPTOR,
     * and of the stream's watermark ({@code withWatermark(eventTimeColumn, allowedLateness)}, created by the first
     * {@link #stream} query that reads it and shared by the later ones).
     * The stream must evaluate on this session's context.
     */
    public synchronized SqlSession registerStream(final String name, final DStream stream, final String eventTimeColumn,
                                                  final Duration allowedLateness) {
        Objects.requireNonNull(name, "name");
        final StreamTable table = new StreamTable(name, Objects.requireNonNull(stream, "stream"),
            Objects.requireNonNull(eventTimeColumn, "eventTimeColumn"), Objects.requireNonNull(allowedLateness, "allowedLateness"));
        tables.remove(name);
        streams.put(name, table);
        return this;
    }

    /** Registers the batch files {@code part-*.sbf} in {@code dir} (as written by {@code Dataset.write}) as {@code name}. */
    public SqlSession registerFiles(final String name, final Path dir) {
        return register(name, ctx.readFiles(dir));
    }

    /**
     * Registers Arrow IPC data as {@code name}: one {@code .arrow} file (file or stream format), or a folder of
     * {@code part-*.arrow} files as written by {@code Dataset.writeArrow}.
     */
    public SqlSession registerArrow(final String name, final Path path) {
        return register(name, ctx.readArrow(path));
    }

    /**
     * A new session with this session's tables plus {@code name} = {@code dataset} (this session is unchanged): the
     * way to query one micro-batch inside {@code DStream.foreachBatch((time, batch) -> ...)} without touching a session
     * other batches share.
     */
    public synchronized SqlSession withTable(final String name, final Dataset dataset) {
        final SqlSession copy = new SqlSession(ctx);
        copy.tables.putAll(tables);
        copy.streams.putAll(streams);
        return copy.register(name, dataset);
    }

    /**
     * A stream whose every micro-batch is {@code query} run over that batch of {@code stream}, registered as table
     * {@code table} (beside this session's tables, e.g. static dimension tables). The query is planned once now against
     * the stream's schema, so an error throws here, not on the first batch; then again per batch (planning does not
     * run anything). The stream must evaluate on this session's context.
     */
    public DStream perBatch(final DStream stream, final String table, final String query) {
        try (SourceDataset empty = ctx.fromRows(stream.schema(), List.of(), 1)) {
            withTable(table, empty).sql(query);
        }
        return stream.transform(batch -> withTable(table, batch).sql(query));
    }

    /** Removes table {@code name}; returns whether it was registered. */
    public synchronized boolean drop(final String name) {
        return tables.remove(name) != null | streams.remove(name) != null;
    }

    /** The registered table names (datasets, then streams), in registration order. */
    public synchronized List<String> tables() {
        final List<String> names = new ArrayList<>(tables.keySet());
        names.addAll(streams.keySet());
        return List.copyOf(names);
    }

    /** The query as a Dataset whose columns are the query's output columns, in order. Runs nothing. */
    public Dataset sql(final String query) {
        return plan(query).dataset;
    }

    /** Sluice's plan for {@code query}: one operator a line, inputs indented below the operator that reads them. */
    public String explain(final String query) {
        return plan(query).explain();
    }

    /**
     * A streaming query over the streams registered with {@link #registerStream}, as a DStream whose columns are the
     * query's output columns. Projections and filters run per micro-batch; an aggregate must group by an event-time
     * window, in either of Calcite's forms:
     * <pre>
     * SELECT TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, k, COUNT(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), k
     * SELECT window_start, window_end, k, SUM(v) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
     *   GROUP BY window_start, window_end, k
     * </pre>
     * (HOP(ts, slide, size) and SESSION(ts, gap) alike; the SESSION table function takes DESCRIPTOR(keys) before the gap,
     * which must be the GROUP BY keys). Such an aggregate is {@code withWatermark(...).groupByWindow(...).agg(...)} in
     * append mode: one final row per (window, key) when the watermark passes the window's end; rows for closed windows
     * are late and dropped. Window starts and ends are INT64 epoch millis. An aggregate without a window, ORDER BY,
     * LIMIT, joins and set operations over a stream are {@link SqlException}s naming their line and column.
     */
    public DStream stream(final String query) {
        final SqlPlanner planner = planner();
        final RelNode rel = planner.plan(query);
        if (!StreamTranslator.readsStream(rel)) {
            throw planner.syntax().error("the query reads no stream (registerStream); run it with sql(query)", null, null);
        }
        try {
            return new StreamTranslator(new RelTranslator(ctx, rel.getCluster().getRexBuilder(), planner.syntax()))
                .translate(rel, planner.outputNames());
        } catch (final IllegalArgumentException | IllegalStateException ex) {
            throw planner.syntax().error("cannot plan: " + ex.getMessage(), null, ex);
        }
    }

    private synchronized SqlPlanner planner() {
        return new SqlPlanner(new LinkedHashMap<>(tables), new LinkedHashMap<>(streams));
    }

    private Translated plan(final String query) {
        final SqlPlanner planner = planner();
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

    /** {@code t} with exactly one column per output field, named as the query's output fields. */
    private static Translated named(final Translated t, final List<String> names) {
        final List<String> physical = t.dataset.schema().fields().stream().map(io.sluice.memory.Field::name).toList();
        if (t.columns.equals(names) && physical.equals(names)) {
            return t;
        }
        final Expr[] exprs = new Expr[names.size()];
        for (int i = 0; i < exprs.length; i++) {
            exprs[i] = t.columns.get(i).equals(names.get(i)) ? Expr.col(names.get(i)) : Expr.col(t.columns.get(i)).as(names.get(i));
        }
        return new Translated(t.dataset.select(exprs), names, "Project as " + names, List.of(t));
    }
}
