package io.sluice.nexmark.flink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.types.Row;

import io.sluice.nexmark.KeyTotals;
import io.sluice.nexmark.RowDigest;

/**
 * A Flink sink that digests every row it receives ({@link RowDigest}) and, when asked, keeps the rows: the results
 * of one run, read back in the same JVM (Flink's local environment) under the run's name after the job ends.
 */
public final class DigestSink implements Sink<Row> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Result> RESULTS = new ConcurrentHashMap<>();

    private final String run;
    private final boolean keepRows;
    private final boolean totals;

    private DigestSink(final String run, final boolean keepRows, final boolean totals) {
        this.run = run;
        this.keepRows = keepRows;
        this.totals = totals;
    }

    /**
     * A sink for run {@code run} (a fresh name per run); {@code keepRows} keeps every row for an exact comparison;
     * {@code totals} digests per-key totals ({@link KeyTotals}) instead of the rows (processing-time windows).
     */
    public static DigestSink forRun(final String run, final boolean keepRows, final boolean totals) {
        RESULTS.put(run, new Result(totals));
        return new DigestSink(run, keepRows, totals);
    }

    /** The digest and (if kept) rows of {@code run}, removed from the registry. */
    public static Result take(final String run) {
        final Result result = RESULTS.remove(run);
        if (result == null) {
            throw new IllegalStateException("no results for run '" + run + "'");
        }
        return result;
    }

    @Override
    public SinkWriter<Row> createWriter(final WriterInitContext context) {
        final Result result = RESULTS.get(run);
        return new SinkWriter<>() {
            private final RowDigest digest = new RowDigest();
            private final List<Object[]> rows = new ArrayList<>();
            private final KeyTotals keyTotals = new KeyTotals();

            @Override
            public void write(final Row row, final Context ctx) {
                for (int i = 0; i < row.getArity(); i++) {
                    final Object value = row.getField(i);
                    if (value instanceof Long l) {
                        digest.longValue(l);
                    } else if (value instanceof Double d) {
                        digest.doubleValue(d);
                    } else {
                        digest.asciiValue((String) value);
                    }
                }
                digest.endRow();
                if (keepRows || totals) {
                    final Object[] values = new Object[row.getArity()];
                    Arrays.setAll(values, row::getField);
                    if (totals) {
                        keyTotals.add(values);
                    }
                    if (keepRows) {
                        rows.add(values);
                    }
                }
            }

            @Override
            public void flush(final boolean endOfInput) {
            }

            @Override
            public void close() {
                result.add(digest, rows, keyTotals);
            }
        };
    }

    /** What all parallel writers of one run received. */
    public static final class Result {
        private final boolean totals;
        private final RowDigest digest = new RowDigest();
        private final List<Object[]> rows = new ArrayList<>();
        private final KeyTotals keyTotals = new KeyTotals();

        Result(final boolean totals) {
            this.totals = totals;
        }

        synchronized void add(final RowDigest part, final List<Object[]> partRows, final KeyTotals partTotals) {
            digest.merge(part);
            rows.addAll(partRows);
            keyTotals.merge(partTotals);
        }

        /** The rows' digest, or the per-key totals' digest for a sink made with {@code totals}. */
        public synchronized RowDigest digest() {
            return totals ? keyTotals.digest() : digest;
        }

        public synchronized List<Object[]> rows() {
            return new ArrayList<>(rows);
        }
    }
}
