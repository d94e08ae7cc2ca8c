package io.sluice.sql;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.Schema;

/**
 * The {@code scripts/sql} command: registers folders of batch files, folders of Arrow part files or single
 * {@code .arrow} files as tables and prints a query's result as a table (or its plan with {@code --explain}).
 *
 * <pre>
 * scripts/sql --table words=path/to/batchfiles [--table ...] [--workers N] [--max-rows N] [--explain] "select ..."
 * </pre>
 *
 * Exit codes: 0 ok, 1 query error (a {@link SqlException} message with its line and column) or a failure while
 * running, 2 bad arguments (including a folder without batch files).
 */
public final class SqlShell {
    private static final int DEFAULT_MAX_ROWS = 1000;

    private SqlShell() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns its exit code. */
    static int run(final String[] args, final PrintStream out, final PrintStream err) {
        final Options options;
        try {
            options = Options.parse(args);
        } catch (final IllegalArgumentException ex) {
            err.println("sql: " + ex.getMessage());
            err.println(usage());
            return 2;
        }
        if (options.help) {
            out.println(usage());
            return 0;
        }
        final SchedulerConfig config = SchedulerConfig.builder().name("sql").workers(options.workers)
            .policy(SchedulingPolicy.WORK_STEALING).build();
        try (ExecutionContext ctx = ExecutionContext.create(config)) {
            final SqlSession session = SqlSession.on(ctx);
            for (final Map.Entry<String, Path> t : options.tables.entrySet()) {
                try {
                    if (isArrowFile(t.getValue()) || hasArrowParts(t.getValue())) {
                        session.registerArrow(t.getKey(), t.getValue());
                    } else {
                        session.registerFiles(t.getKey(), t.getValue());
                    }
                } catch (final RuntimeException ex) {
                    err.println("sql: --table " + t.getKey() + "=" + t.getValue() + ": " + ex.getMessage());
                    return 2;
                }
            }
            return query(session, options, out);
        } catch (final SqlException ex) {
            err.println("sql: " + ex.getMessage());
            return 1;
        } catch (final RuntimeException ex) {
            // A failure while running (a value that does not cast, a corrupt batch file): the cause names the value.
            Throwable root = ex;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("sql: query failed: " + root.getMessage());
            return 1;
        }
    }

    /** Prints the plan ({@code --explain}) or up to {@code --max-rows} rows of the result; returns the exit code. */
    private static int query(final SqlSession session, final Options options, final PrintStream out) {
        if (options.explain) {
            out.print(session.explain(options.query));
            return 0;
        }
        final int maxRows = options.maxRows;
        final Dataset result = session.sql(options.query).limit(maxRows + 1);
        final List<Object[]> rows = result.collect();
        out.print(format(result.schema(), rows.subList(0, Math.min(rows.size(), maxRows))));
        out.println(rows.size() > maxRows ? "(first " + maxRows + " rows; --max-rows to see more)"
            : "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        return 0;
    }

    /** The parsed command line. */
    private static final class Options {
        final Map<String, Path> tables = new LinkedHashMap<>();
        boolean help;
        boolean explain;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        int maxRows = DEFAULT_MAX_ROWS;
        String query;

        /** The options in {@code args}; throws {@link IllegalArgumentException} naming the bad argument. */
        static Options parse(final String[] args) {
            final Options o = new Options();
            for (int i = 0; i < args.length && !o.help; i++) {
                final String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    o.help = true;
                } else if (a.equals("--explain")) {
                    o.explain = true;
                } else if (a.equals("--table")) {
                    o.table(value(args, ++i, a));
                } else if (a.equals("--workers")) {
                    o.workers = positive(value(args, ++i, a), a);
                } else if (a.equals("--max-rows")) {
                    o.maxRows = positive(value(args, ++i, a), a);
                } else if (a.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + a);
                } else if (o.query == null) {
                    o.query = a;
                } else {
                    throw new IllegalArgumentException("one query only; unexpected argument '" + a + "'");
                }
            }
            if (o.query == null && !o.help) {
                throw new IllegalArgumentException("no query given");
            }
            return o;
        }

        private void table(final String spec) {
            final int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--table needs name=path, got '" + spec + "'");
            }
            final Path dir = Path.of(spec.substring(eq + 1));
            if (!Files.isDirectory(dir) && !isArrowFile(dir)) {
                throw new IllegalArgumentException("--table " + spec + ": '" + dir + "' is neither a folder nor an"
                    + " .arrow file");
            }
            tables.put(spec.substring(0, eq), dir);
        }
    }

    private static String value(final String[] args, final int i, final String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(final String s, final String option) {
        try {
            final int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (final NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs an integer >= 1, got '" + s + "'");
    }

    private static boolean isArrowFile(final Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(BatchFolderDescriptor.ARROW_EXTENSION);
    }

    /** Whether {@code dir} holds Arrow partition files ({@code Dataset.writeArrow}) rather than batch files. */
    private static boolean hasArrowParts(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(BatchFolderDescriptor.ARROW_EXTENSION));
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    private static String usage() {
        return "usage: scripts/sql --table NAME=PATH [--table ...] [--workers N] [--max-rows N (default "
            + DEFAULT_MAX_ROWS + ")] [--explain] \"SELECT ...\"\n  PATH: a folder of batch files (Dataset.write), a folder of"
            + " Arrow part files (Dataset.writeArrow) or one .arrow file (Arrow IPC file or stream format)";
    }

    /** Rows as a text table: a header of column names, a rule, one line a row, columns padded to their widest value. */
    static String format(final Schema schema, final List<Object[]> rows) {
        final int n = schema.fieldCount();
        final int[] width = new int[n];
        final List<String[]> cells = new ArrayList<>();
        final String[] header = new String[n];
        for (int c = 0; c < n; c++) {
            header[c] = schema.field(c).name();
            width[c] = header[c].length();
        }
        for (final Object[] row : rows) {
            final String[] line = new String[n];
            for (int c = 0; c < n; c++) {
                line[c] = row[c] == null ? "NULL" : String.valueOf(row[c]);
                width[c] = Math.max(width[c], line[c].length());
            }
            cells.add(line);
        }
        final StringBuilder sb = new StringBuilder();
        appendLine(sb, header, width);
        final String[] rule = new String[n];
        for (int c = 0; c < n; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        appendLine(sb, rule, width);
        for (final String[] line : cells) {
            appendLine(sb, line, width);
        }
        return sb.toString();
    }

    private static void appendLine(final StringBuilder sb, final String[] cells, final int[] width) {
        for (int c = 0; c < cells.length; c++) {
            sb.append(c > 0 ? " | " : "").append(cells[c]).append(" ".repeat(width[c] - cells[c].length()));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
