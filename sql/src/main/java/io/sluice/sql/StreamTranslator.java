package io.sluice.sql;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.memory.ColumnType;

/**
 * A query over a registered stream onto DStream operators. The scan is the stream under its registration's
 * watermark ({@code withWatermark(eventTime, allowedLateness)}, one per registration); projections and filters run
 * per micro-batch through {@link RelTranslator}; an aggregate must group by an event-time window, either Calcite's group-window call
 * ({@code GROUP BY TUMBLE(ts, size)}, {@code HOP(ts, slide, size)}, {@code SESSION(ts, gap)}, with
 * {@code TUMBLE_START}/{@code _END} and {@code HOP_START}/{@code _END}) or the window table function
 * ({@code FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))}, likewise HOP and SESSION, grouped by
 * {@code window_start, window_end}), and runs as {@code groupByWindow(...).agg(...)} in append mode: each window's row
 * once, when the watermark passes its end. Until that aggregate, a window field holds the row's event time. Anything
 * else over a stream (ORDER BY, LIMIT, joins, set operations, an aggregate without a window) is a {@link SqlException}
 * at its position. Not thread-safe: one instance per query.
 */
final class StreamTranslator {
    /** What a field holds: the registered event time, or a window's start or end (still the event time until grouped). */
    private enum Role { TIME, START, END }

    /** A translated node: its stream, the stream column of each field, and the fields with a {@link Role}. */
    private static final class Node {
        final DStream stream;
        final List<String> columns;
        final Map<Integer, Role> roles;
        final Window window;

        Node(final DStream stream, final List<String> columns, final Map<Integer, Role> roles, final Window window) {
            this.stream = stream;
            this.columns = List.copyOf(columns);
            this.roles = Map.copyOf(roles);
            this.window = window;
        }
    }

    /** An event-time window of the query: kind, size (or gap), slide, and a session's partition columns (or null). */
    private static final class Window {
        final EventTimeWindow.Kind kind;
        final long size;
        final long slide;
        final Set<String> sessionKeys;

        Window(final EventTimeWindow.Kind kind, final long size, final long slide, final Set<String> sessionKeys) {
            this.kind = kind;
            this.size = size;
            this.slide = slide;
            this.sessionKeys = sessionKeys;
        }

        EventTimeWindow on(final String column) {
            switch (kind) {
                case TUMBLING:
                    return EventTimeWindow.tumbling(column, Duration.ofMillis(size));
                case HOPPING:
                    return EventTimeWindow.hopping(column, Duration.ofMillis(size), Duration.ofMillis(slide));
                default:
                    return EventTimeWindow.session(column, Duration.ofMillis(size));
            }
        }
    }

    private final RelTranslator rel;
    private String eventTime;

    StreamTranslator(final RelTranslator rel) {
        this.rel = rel;
    }

    /** Whether {@code node} reads a registered stream. */
    static boolean readsStream(final RelNode node) {
        if (node instanceof TableScan) {
            return node.getTable().unwrap(StreamTable.class) != null;
        }
        return node.getInputs().stream().anyMatch(StreamTranslator::readsStream);
    }

    /** The stream of {@code root}'s rows, one column per output field named {@code names}. */
    DStream translate(final RelNode root, final List<String> names) {
        check(root);
        final Node node = translate(root);
        for (final Map.Entry<Integer, Role> e : node.roles.entrySet()) {
            if (e.getValue() != Role.TIME) {
                throw rel.syntax.error("unsupported: window_start / window_end of a stream outside a GROUP BY that groups"
                    + " by them", null, null);
            }
        }
        final Expr[] exprs = new Expr[names.size()];
        for (int i = 0; i < exprs.length; i++) {
            exprs[i] = Expr.col(node.columns.get(i)).as(names.get(i));
        }
        return node.stream.select(exprs);
    }

    /** The structural errors, found before any stream operator is created. */
    private void check(final RelNode node) {
        final String kind = node.getRelTypeName();
        if (node instanceof org.apache.calcite.rel.core.Sort) {
            throw rel.syntax.error("unsupported: ORDER BY or LIMIT on a stream (a stream has no last row to sort by)",
                "ORDER_BY", null);
        } else if (node instanceof org.apache.calcite.rel.core.Join) {
            throw rel.syntax.error("unsupported: a join with a stream", "JOIN", null);
        } else if (node instanceof org.apache.calcite.rel.core.SetOp) {
            throw rel.syntax.error("unsupported: a set operation with a stream", "UNION", null);
        } else if (node instanceof Aggregate && !hasWindow(((Aggregate) node).getInput())) {
            throw unbounded((Aggregate) node);
        } else if (!(node instanceof TableScan || node instanceof Project || node instanceof Filter
            || node instanceof Aggregate || node instanceof TableFunctionScan)) {
            throw rel.syntax.error("unsupported over a stream: " + kind, null, null);
        }
        node.getInputs().forEach(this::check);
    }

    private SqlException unbounded(final Aggregate aggregate) {
        final String at = aggregate.getGroupSet().isEmpty() && !aggregate.getAggCallList().isEmpty()
            ? aggregate.getAggCallList().get(0).getAggregation().getName() : "GROUP_BY";
        return rel.syntax.error("unsupported: an aggregate over a stream without an event-time window (its groups never"
            + " close): GROUP BY TUMBLE(ts, size), HOP(ts, slide, size) or SESSION(ts, gap), or window_start and"
            + " window_end of TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))", at, null);
    }

    private static boolean hasWindow(final RelNode node) {
        if (node instanceof TableFunctionScan) {
            return true;
        }
        if (node instanceof Project && ((Project) node).getProjects().stream().anyMatch(StreamTranslator::isGroupWindow)) {
            return true;
        }
        return !(node instanceof Aggregate) && node.getInputs().stream().anyMatch(StreamTranslator::hasWindow);
    }

    private static boolean isGroupWindow(final RexNode e) {
        return e instanceof RexCall && (e.getKind() == SqlKind.TUMBLE || e.getKind() == SqlKind.HOP
            || e.getKind() == SqlKind.SESSION);
    }

    private Node translate(final RelNode node) {
        if (node instanceof TableScan) {
            final StreamTable table = node.getTable().unwrap(StreamTable.class);
            if (table == null) {
                throw rel.syntax.error("unsupported: table '" + String.join(".", node.getTable().getQualifiedName())
                    + "' is not a stream; a stream query reads one stream (query tables per batch with perBatch)", null, null);
            }
            eventTime = table.eventTime();
            final DStream stream = table.watermarked();
            final List<String> columns = node.getRowType().getFieldNames();
            return new Node(stream, columns, Map.of(columns.indexOf(eventTime), Role.TIME), null);
        } else if (node instanceof Filter) {
            final Node in = translate(((Filter) node).getInput());
            if (readsWindow(((Filter) node).getCondition(), in)) {
                throw rel.syntax.error("unsupported: a condition on window_start / window_end before the aggregate that"
                    + " groups by them", "WHERE", null);
            }
            return perBatch(in, node, in.roles, in.window);
        } else if (node instanceof Project) {
            return project((Project) node);
        } else if (node instanceof TableFunctionScan) {
            return windowTable((TableFunctionScan) node);
        }
        return aggregate((Aggregate) node);
    }

    private static boolean readsWindow(final RexNode e, final Node in) {
        for (final int field : RelOptUtil.InputFinder.bits(e)) {
            final Role role = in.roles.get(field);
            if (role == Role.START || role == Role.END) {
                return true;
            }
        }
        return false;
    }

    /** {@code node} (whose input is {@code in}) run over each micro-batch of {@code in}'s stream. */
    private Node perBatch(final Node in, final RelNode node, final Map<Integer, Role> roles, final Window window) {
        final RelNode child = node.getInput(0);
        final Function<Dataset, Translated> plan = ds -> {
            final Map<RelNode, Translated> leaf = new IdentityHashMap<>();
            leaf.put(child, new Translated(ds, in.columns, "batch", List.of()));
            return new RelTranslator(rel.ctx, rel.rexBuilder, rel.syntax, leaf).translate(node);
        };
        final List<String> columns;
        try (SourceDataset empty = rel.ctx.fromRows(in.stream.schema(), List.of(), 1)) {
            columns = plan.apply(empty).columns;
        }
        return new Node(in.stream.transform(ds -> plan.apply(ds).dataset), columns, roles, window);
    }

    private Node project(final Project project) {
        final Node in = translate(project.getInput());
        final List<RexNode> exprs = new ArrayList<>(project.getProjects());
        final Map<Integer, Role> roles = new HashMap<>();
        Window window = in.window;
        boolean rewritten = false;
        for (int i = 0; i < exprs.size(); i++) {
            final RexNode e = exprs.get(i);
            if (e instanceof RexInputRef && in.roles.containsKey(((RexInputRef) e).getIndex())) {
                roles.put(i, in.roles.get(((RexInputRef) e).getIndex()));
            } else if (isGroupWindow(e)) {
                final RexCall call = (RexCall) e;
                if (window != null) {
                    throw rel.syntax.error("unsupported: more than one event-time window in a query", call.getKind().name(), null);
                }
                window = groupWindow(call, in);
                exprs.set(i, call.getOperands().get(0));    // the event time, until the aggregate groups by it
                roles.put(i, Role.START);
                rewritten = true;
            } else if (readsWindow(e, in)) {
                throw rel.syntax.error("unsupported: an expression over window_start / window_end before the aggregate"
                    + " that groups by them: " + e, null, null);
            }
        }
        final RelNode node = rewritten ? project.copy(project.getTraitSet(), project.getInput(), exprs, project.getRowType())
            : project;
        return perBatch(in, node, roles, window);
    }

    /** {@code $TUMBLE(ts, size)}, {@code $HOP(ts, slide, size)} or {@code $SESSION(ts, gap)} of GROUP BY. */
    private Window groupWindow(final RexCall call, final Node in) {
        final List<RexNode> ops = call.getOperands();
        final String name = call.getKind().name();
        timeField(ops.get(0), in, name);
        switch (call.getKind()) {
            case TUMBLE:
                if (ops.size() != 2) {
                    throw rel.syntax.error("unsupported: TUMBLE with an alignment", name, null);
                }
                return new Window(EventTimeWindow.Kind.TUMBLING, millis(ops.get(1), name), millis(ops.get(1), name), null);
            case HOP:
                if (ops.size() != 3) {
                    throw rel.syntax.error("unsupported: HOP with an alignment", name, null);
                }
                return new Window(EventTimeWindow.Kind.HOPPING, millis(ops.get(2), name), millis(ops.get(1), name), null);
            default:
                return new Window(EventTimeWindow.Kind.SESSION, millis(ops.get(1), name), 0, null);
        }
    }

    /** The field of {@code op}, which must be the registered event-time column. */
    private int timeField(final RexNode op, final Node in, final String operator) {
        if (!(op instanceof RexInputRef) || in.roles.get(((RexInputRef) op).getIndex()) != Role.TIME) {
            throw rel.syntax.error("unsupported: " + operator + " over " + op + "; windows run over the stream's event-time"
                + " column '" + eventTime + "'", operator, null);
        }
        return ((RexInputRef) op).getIndex();
    }

    private long millis(final RexNode op, final String operator) {
        if (!(op instanceof RexLiteral) || !SqlTypes.isTimeLike(op.getType())) {
            throw rel.syntax.error("unsupported: " + operator + " needs a constant day-time INTERVAL, got " + op, operator, null);
        }
        final long ms = ((RexLiteral) op).getValueAs(BigDecimal.class).longValueExact();
        if (ms <= 0) {
            throw rel.syntax.error(operator + " interval " + op + " must be positive", operator, null);
        }
        return ms;
    }

    /** {@code TABLE(TUMBLE|HOP|SESSION(TABLE s, DESCRIPTOR(ts), [DESCRIPTOR(keys),] intervals))}: two window fields. */
    private Node windowTable(final TableFunctionScan scan) {
        final RexCall call = (RexCall) scan.getCall();
        // The table functions' kind is not TUMBLE / HOP / SESSION (those are the group-window calls'): go by name.
        final String name = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("TUMBLE", "HOP", "SESSION").contains(name) || scan.getInputs().size() != 1) {
            throw rel.syntax.error("unsupported table function over a stream: " + call, "TABLE", null);
        }
        final Node in = translate(scan.getInputs().get(0));
        final List<RexCall> descriptors = new ArrayList<>();
        final List<Long> intervals = new ArrayList<>();
        for (final RexNode op : call.getOperands()) {
            if (op.getKind() == SqlKind.DESCRIPTOR) {
                descriptors.add((RexCall) op);
            } else if (op instanceof RexLiteral) {
                intervals.add(millis(op, name));
            }
        }
        final boolean session = name.equals("SESSION");
        final int wantIntervals = name.equals("HOP") ? 2 : 1;
        if (descriptors.isEmpty() || descriptors.get(0).getOperands().size() != 1 || intervals.size() != wantIntervals
            || descriptors.size() != (session ? 2 : 1)) {
            throw rel.syntax.error("unsupported: " + call + " (TUMBLE(TABLE s, DESCRIPTOR(ts), size), HOP(TABLE s,"
                + " DESCRIPTOR(ts), slide, size), SESSION(TABLE s, DESCRIPTOR(ts), DESCRIPTOR(keys), gap))", name, null);
        }
        final int time = timeField(descriptors.get(0).getOperands().get(0), in, name);
        final Window window;
        if (session) {
            final Set<String> keys = new TreeSet<>();
            for (final RexNode k : descriptors.get(1).getOperands()) {
                keys.add(in.columns.get(((RexInputRef) k).getIndex()));
            }
            window = new Window(EventTimeWindow.Kind.SESSION, intervals.get(0), 0, keys);
        } else if (name.equals("HOP")) {
            window = new Window(EventTimeWindow.Kind.HOPPING, intervals.get(1), intervals.get(0), null);
        } else {
            window = new Window(EventTimeWindow.Kind.TUMBLING, intervals.get(0), intervals.get(0), null);
        }
        final List<String> columns = new ArrayList<>(in.columns);
        final Map<Integer, Role> roles = new HashMap<>(in.roles);
        roles.put(columns.size(), Role.START);
        columns.add(in.columns.get(time));
        roles.put(columns.size(), Role.END);
        columns.add(in.columns.get(time));
        return new Node(in.stream, columns, roles, window);
    }

    /** {@code groupByWindow(window, keys).agg(...)} over the input's rows, its event time renamed to the watermark's column. */
    private Node aggregate(final Aggregate aggregate) {
        final Node in = translate(aggregate.getInput());
        final List<Integer> group = aggregate.getGroupSet().asList();
        final List<Integer> keys = new ArrayList<>();
        Integer start = null;
        for (final int g : group) {
            final Role role = in.roles.get(g);
            if (role == Role.START) {
                start = g;
            } else if (role != Role.END) {
                keys.add(g);
            }
        }
        if (start == null || aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw unbounded(aggregate);
        }
        final Set<String> used = new HashSet<>(List.of(eventTime, "window_start", "window_end"));
        final Map<String, String> names = new LinkedHashMap<>();
        final List<Expr> select = new ArrayList<>(List.of(Expr.col(in.columns.get(start)).as(eventTime)));
        final Function<Integer, String> column = f -> names.computeIfAbsent(in.columns.get(f), c -> {
            final String n = RelTranslator.unique(c, used);
            select.add(Expr.col(c).as(n));
            return n;
        });
        final List<String> keyNames = new ArrayList<>();
        keys.forEach(k -> keyNames.add(column.apply(k)));
        if (in.window.sessionKeys != null && !in.window.sessionKeys.equals(new TreeSet<>(keys.stream().map(in.columns::get).toList()))) {
            throw rel.syntax.error("unsupported: SESSION partitioned by " + in.window.sessionKeys + " but grouped by "
                + keys.stream().map(in.columns::get).toList() + " (sessions are per GROUP BY key)", "SESSION", null);
        }
        final List<Agg> aggs = aggs(aggregate, in, column, used);
        final DStream windowed = in.stream.select(select.toArray(new Expr[0]))
            .groupByWindow(in.window.on(eventTime), keyNames.toArray(new String[0])).agg(aggs.toArray(new Agg[0]));
        final List<String> columns = new ArrayList<>();
        for (final int g : group) {
            final Role role = in.roles.get(g);
            columns.add(role == Role.START ? "window_start" : role == Role.END ? "window_end" : names.get(in.columns.get(g)));
        }
        aggs.forEach(a -> columns.add(a.name()));
        return new Node(coerced(windowed, columns, aggregate), columns, Map.of(), null);
    }

    private List<Agg> aggs(final Aggregate aggregate, final Node in, final Function<Integer, String> column,
                           final Set<String> used) {
        final AggregateTranslator check = new AggregateTranslator(rel);
        final List<String> fieldNames = aggregate.getRowType().getFieldNames();
        final List<Agg> aggs = new ArrayList<>();
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            final AggregateCall call = aggregate.getAggCallList().get(i);
            final String fn = call.getAggregation().getName();
            check.check(call);
            if (call.isDistinct() || call.getAggregation().getKind() == SqlKind.SUM0) {
                throw rel.syntax.error("unsupported over a stream window: " + call, fn, null);
            }
            String arg = null;
            if (!call.getArgList().isEmpty()) {
                final int f = call.getArgList().get(0);
                if (in.roles.get(f) == Role.START || in.roles.get(f) == Role.END) {
                    throw rel.syntax.error("unsupported: an aggregate of window_start / window_end", fn, null);
                }
                arg = column.apply(f);
            }
            aggs.add(AggregateTranslator.agg(call, arg, RelTranslator.unique(fieldNames.get(aggregate.getGroupCount() + i), used)));
        }
        return aggs;
    }

    /** {@code stream} with each column cast to the type Calcite derived for its field, where they differ. */
    private static DStream coerced(final DStream stream, final List<String> columns, final Aggregate aggregate) {
        final Expr[] exprs = new Expr[stream.schema().fieldCount()];
        boolean cast = false;
        for (int i = 0; i < exprs.length; i++) {
            final String c = stream.schema().field(i).name();
            final int field = columns.indexOf(c);
            final ColumnType want = field < 0 ? null : SqlTypes.columnType(aggregate.getRowType().getFieldList().get(field).getType());
            final boolean differs = want != null && want != stream.schema().field(i).type();
            exprs[i] = differs ? Expr.col(c).cast(want).as(c) : Expr.col(c);
            cast |= differs;
        }
        return cast ? stream.select(exprs) : stream;
    }
}
