package io.sluice.engine.dataset;

import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Schema;

/**
 * A read-only view of one node of a dataset's lineage, for backends that translate a Sluice plan to another engine
 * ({@link Dataset#accept}). Each method receives one logical operator with its parent(s) and parameters; the
 * physical steps Sluice adds (partial aggregates, the exchanges of a join or group-by) are folded into their
 * operator. A node kind this interface does not describe goes to {@link #unsupported}, which throws by default.
 */
public interface LineageVisitor<R> {
    /** In-memory rows or batches ({@link ExecutionContext#fromRows}/{@code fromBatches}); {@code source.collect()} reads them. */
    R rows(SourceDataset source);

    /** Batch files {@code part-<n>.sbf}, one per partition, in partition order ({@link ExecutionContext#readFiles}). */
    R files(Schema schema, List<Path> files);

    /**
     * Arrow IPC files {@code part-<n>.arrow}, one per partition, in partition order ({@link ExecutionContext#readArrow});
     * a visitor that does not override this throws, as for an undescribed node.
     */
    default R arrowFiles(final Schema schema, final List<Path> files) {
        throw new UnsupportedOperationException("no lineage description for Arrow IPC files (" + files.size()
            + " files, schema=" + schema + ")");
    }

    /** {@link ExecutionContext#generate}: partitions {@code 0..partitions-1} filled by {@code generator}. */
    R generated(Schema schema, int partitions, PartitionGenerator generator);

    /** {@link Dataset#filter}. */
    R filter(Dataset parent, Expr predicate);

    /** {@link Dataset#select(Expr...)} and {@link Dataset#withColumn} (which selects every column plus one). */
    R project(Dataset parent, List<Expr> exprs);

    /** {@link Dataset#flatMap}: tokens of column {@code column} split at any of {@code delimiters} in {@code as}, then {@code keep}. */
    R flatMap(Dataset parent, String column, String delimiters, String as, List<String> keep);

    /** {@link Dataset#repartition}. */
    R exchange(Dataset parent, List<String> keys, int partitions);

    /** {@link GroupedDataset#agg}, {@link Dataset#agg} (no keys) and {@link Dataset#distinct} (every column, no aggregate). */
    R aggregate(Dataset parent, List<String> keys, List<Agg> aggs);

    /** {@link Dataset#join}. */
    R join(Dataset left, Dataset right, List<String> leftKeys, List<String> rightKeys, JoinType type);

    /** {@link Dataset#union}. */
    R union(Dataset left, Dataset right);

    /** {@link Dataset#orderBy} and {@link Dataset#limit}: {@code keys} may be empty, {@code limit} is MAX_VALUE for none. */
    R sort(Dataset parent, List<SortKey> keys, int limit);

    /** {@link Dataset#cache}: the parent's rows. */
    R cached(Dataset parent);

    /** A node without a description here. */
    default R unsupported(final Dataset node) {
        throw new UnsupportedOperationException("no lineage description for dataset node " + node.getClass().getSimpleName()
            + " (" + node + ")");
    }
}
