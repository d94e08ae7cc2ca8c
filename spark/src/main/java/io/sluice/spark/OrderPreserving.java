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
 * Whether a lineage's row order (partition by partition, row by row) is the same on Sluice and on its Spark
 * translation: true for sources and the row-order-preserving operators over them (filter, select, flatMap, union,
 * cache), false from any exchange, aggregate, join or sort on (whose order is hash order in Sluice).
 */
final class OrderPreserving implements LineageVisitor<Boolean> {
    private static final OrderPreserving INSTANCE = new OrderPreserving();

    private OrderPreserving() {
    }

    static boolean check(final Dataset dataset) {
        return dataset.accept(INSTANCE);
    }

    @Override
    public Boolean rows(final SourceDataset source) {
        return true;
    }

    @Override
    public Boolean files(final Schema schema, final List<Path> files) {
        return true;
    }

    @Override
    public Boolean arrowFiles(final Schema schema, final List<Path> files) {
        return true;
    }

    @Override
    public Boolean generated(final Schema schema, final int partitions, final PartitionGenerator generator) {
        return true;
    }

    @Override
    public Boolean filter(final Dataset parent, final Expr predicate) {
        return check(parent);
    }

    @Override
    public Boolean project(final Dataset parent, final List<Expr> exprs) {
        return check(parent);
    }

    @Override
    public Boolean flatMap(final Dataset parent, final String column, final String delimiters, final String as,
                           final List<String> keep) {
        return check(parent);
    }

    @Override
    public Boolean exchange(final Dataset parent, final List<String> keys, final int partitions) {
        return false;
    }

    @Override
    public Boolean aggregate(final Dataset parent, final List<String> keys, final List<Agg> aggs) {
        return false;
    }

    @Override
    public Boolean join(final Dataset left, final Dataset right, final List<String> leftKeys, final List<String> rightKeys,
                        final JoinType type) {
        return false;
    }

    @Override
    public Boolean union(final Dataset left, final Dataset right) {
        return check(left) && check(right);
    }

    @Override
    public Boolean sort(final Dataset parent, final List<SortKey> keys, final int limit) {
        return false;
    }

    @Override
    public Boolean cached(final Dataset parent) {
        return check(parent);
    }

    @Override
    public Boolean unsupported(final Dataset node) {
        return false;
    }
}
