package io.sluice.spark;

import java.nio.file.Path;
import java.util.List;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.dataset.LineageVisitor;
import io.sluice.engine.dataset.PartitionGenerator;
import io.sluice.engine.dataset.SortKey;
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.memory.Schema;

/**
 * Checks that a DStream's per-batch lineage is row-wise over the batch (filter, select/withColumn, flatMap, cache on
 * the batch's own rows), the only operators whose meaning on a Structured Streaming DataFrame is the same as on each
 * micro-batch. Anything else (a per-batch aggregate, join, sort, distinct, another source) throws
 * {@link UnsupportedOperationException} naming the stream operator and the dataset operator.
 */
final class RowWiseCheck implements LineageVisitor<Void> {
    private final Dataset batch;
    private final String operator;

    private RowWiseCheck(final Dataset batch, final String operator) {
        this.batch = batch;
        this.operator = operator;
    }

    /** Throws unless {@code out} is a row-wise lineage over {@code batch}; {@code operator} names the stream operator. */
    static void check(final Dataset out, final Dataset batch, final String operator) {
        out.accept(new RowWiseCheck(batch, operator));
    }

    private Void refuse(final String what) {
        throw new UnsupportedOperationException("stream operator " + operator + " has no Spark Structured Streaming translation:"
            + " its per-batch " + what + " would run over the whole stream in Spark, not per micro-batch (translated: filter,"
            + " select/withColumn, flatMap, withWatermark, groupByWindow with tumbling or hopping windows in append mode)");
    }

    @Override
    public Void rows(final SourceDataset source) {
        return source == batch ? null : refuse("in-memory source " + source);
    }

    @Override
    public Void files(final Schema schema, final List<Path> files) {
        return refuse("batch file source");
    }

    @Override
    public Void arrowFiles(final Schema schema, final List<Path> files) {
        return refuse("Arrow file source");
    }

    @Override
    public Void generated(final Schema schema, final int partitions, final PartitionGenerator generator) {
        return refuse("generated source");
    }

    @Override
    public Void filter(final Dataset parent, final Expr predicate) {
        return parent.accept(this);
    }

    @Override
    public Void project(final Dataset parent, final List<Expr> exprs) {
        return parent.accept(this);
    }

    @Override
    public Void flatMap(final Dataset parent, final String column, final String delimiters, final String as,
                        final List<String> keep) {
        return parent.accept(this);
    }

    @Override
    public Void exchange(final Dataset parent, final List<String> keys, final int partitions) {
        return refuse("repartition" + keys);
    }

    @Override
    public Void aggregate(final Dataset parent, final List<String> keys, final List<Agg> aggs) {
        return refuse("aggregate by " + keys + " of " + aggs);
    }

    @Override
    public Void join(final Dataset left, final Dataset right, final List<String> leftKeys, final List<String> rightKeys,
                     final JoinType type) {
        return refuse(type + " join on " + leftKeys + "=" + rightKeys);
    }

    @Override
    public Void union(final Dataset left, final Dataset right) {
        return refuse("union");
    }

    @Override
    public Void sort(final Dataset parent, final List<SortKey> keys, final int limit) {
        return refuse("orderBy" + keys + (limit == Integer.MAX_VALUE ? "" : " limit " + limit));
    }

    @Override
    public Void cached(final Dataset parent) {
        return parent.accept(this);
    }

    @Override
    public Void unsupported(final Dataset node) {
        return refuse("dataset operator " + node);
    }
}
