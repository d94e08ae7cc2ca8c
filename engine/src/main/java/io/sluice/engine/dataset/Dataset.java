package io.sluice.engine.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * An immutable, partitioned, columnar dataset: a lineage node that is either a source (batches, rows, a generator
 * or batch files) or a parent plus an operator. Transformations return new nodes and run nothing; actions
 * ({@link #collect()}, {@link #count()}, {@link #write(Path)}) run one scheduler stage per chain of narrow
 * operators, with a columnar hash exchange at each wide operator. Any partition can be recomputed from lineage.
 * Thread-safe.
 */
public abstract class Dataset {
    final ExecutionContext ctx;

    Dataset(final ExecutionContext ctx) {
        this.ctx = ctx;
    }

    public abstract Schema schema();

    public abstract int numPartitions();

    /** For a node that starts a stage (not a narrow operator): the input batches of partitions {@code parts}. */
    abstract StageInput openInput(int[] parts);

    public ExecutionContext context() {
        return ctx;
    }

    // ---- transformations -------------------------------------------------------------------------------------

    /** Rows where {@code predicate} is true (not false, not null). */
    public Dataset filter(final Expr predicate) {
        return new NarrowDataset(this, new FilterOp(schema(), predicate));
    }

    /** The named columns, in order. */
    public Dataset select(final String... columns) {
        final Expr[] exprs = new Expr[columns.length];
        for (int i = 0; i < columns.length; i++) {
            exprs[i] = Expr.col(columns[i]);
        }
        return select(exprs);
    }

    /** One output column per expression: column references keep their name, others need {@link Expr#as}. */
    public Dataset select(final Expr... exprs) {
        return new NarrowDataset(this, new ProjectOp(schema(), Arrays.asList(exprs)));
    }

    /** Every column plus {@code name} = {@code expr} (replacing a column of that name in place). */
    public Dataset withColumn(final String name, final Expr expr) {
        final List<Expr> exprs = new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < schema().fieldCount(); i++) {
            final String field = schema().field(i).name();
            if (field.equals(name)) {
                exprs.add(expr.as(name));
                replaced = true;
            } else {
                exprs.add(Expr.col(field));
            }
        }
        if (!replaced) {
            exprs.add(expr.as(name));
        }
        return new NarrowDataset(this, new ProjectOp(schema(), exprs));
    }

    /**
     * One row per token of {@code split} (made by {@link Expr#split}) in column {@code as}, followed by the
     * {@code keep} columns of the row the token came from.
     */
    public Dataset flatMap(final Expr split, final String as, final String... keep) {
        if (!(split instanceof Split)) {
            throw new IllegalArgumentException("flatMap needs an Expr.split(...) expression, got " + split);
        }
        return new NarrowDataset(this, new FlatMapOp(schema(), (Split) split, as, List.of(keep)));
    }

    /**
     * Groups by the named key columns; finish with {@link GroupedDataset#agg}. With no keys, the whole dataset is one
     * group: see {@link #agg}.
     */
    public GroupedDataset groupBy(final String... keys) {
        return new GroupedDataset(this, List.of(keys), ctx.shufflePartitions());
    }

    /**
     * A global aggregate, {@code groupBy().agg(aggs)}: exactly one row (in one partition) of the aggregates in
     * order, even for an empty dataset, with SQL and Spark semantics: {@code COUNT} is 0 and
     * {@code SUM}/{@code MIN}/{@code MAX}/{@code AVG} are null when no non-null value was seen.
     */
    public Dataset agg(final Agg... aggs) {
        return groupBy().agg(aggs);
    }

    /** Distinct rows (a group-by on every column), in {@link ExecutionContext#shufflePartitions()} partitions. */
    public Dataset distinct() {
        final String[] all = new String[schema().fieldCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = schema().field(i).name();
        }
        return groupBy(all).agg();
    }

    /** Hash-partitions the rows by the named key columns into {@code partitions} partitions (a columnar exchange). */
    public Dataset repartition(final int partitions, final String... keys) {
        return new ExchangeDataset(this, List.of(keys), partitions);
    }

    /** A hash join on equal key columns (same types pairwise); see {@link JoinType}. */
    public Dataset join(final Dataset right, final List<String> leftKeys, final List<String> rightKeys, final JoinType type) {
        return new JoinDataset(this, right, leftKeys, rightKeys, type, ctx.shufflePartitions());
    }

    /** A hash join on one key column of the same name on both sides. */
    public Dataset join(final Dataset right, final String key, final JoinType type) {
        return join(right, List.of(key), List.of(key), type);
    }

    /** The partitions of this dataset followed by those of {@code other} (same schema; no exchange). */
    public Dataset union(final Dataset other) {
        return new UnionDataset(this, other);
    }

    /** All rows in one partition, sorted by {@code keys} (ascending nulls last, descending nulls first). */
    public Dataset orderBy(final SortKey... keys) {
        return new SortDataset(this, List.of(keys), Integer.MAX_VALUE);
    }

    /** The first {@code n} rows in one partition: of the sort order after {@link #orderBy}, else in partition order. */
    public Dataset limit(final int n) {
        return new SortDataset(this, List.of(), n);
    }

    /** A node that keeps its computed partitions in memory; see {@link CachedDataset}. */
    public CachedDataset cache() {
        return new CachedDataset(this);
    }

    // ---- actions ---------------------------------------------------------------------------------------------

    /** Every row, boxed, in partition order. */
    public List<Object[]> collect() {
        final List<Batch> batches = computePartitions(allPartitions());
        try {
            final List<Object[]> rows = new ArrayList<>();
            for (final Batch batch : batches) {
                for (int r = 0; r < batch.rowCount(); r++) {
                    rows.add(Rows.row(batch, r));
                }
            }
            return rows;
        } finally {
            Batch.releaseAll(batches);
        }
    }

    /** Number of rows. */
    public long count() {
        final PartitionStage.Result<Long> counts = runChain("count", allPartitions(), new Finisher<Long>() {
            @Override
            public Long finish(final Batch batch, final int k) {
                try {
                    return (long) batch.rowCount();
                } finally {
                    batch.release();
                }
            }

            /** Counting needs no rows: the size of the selection is the answer. */
            @Override
            public Long finishSelected(final Batch batch, final SelectionVector selection, final BufferAllocator allocator,
                                       final int k) {
                batch.release();
                return (long) selection.size();
            }
        }, parts -> parts.stream().mapToLong(Long::longValue).sum(), v -> { });
        long total = 0;
        for (final Long c : counts.values) {
            total += c;
        }
        return total;
    }

    /** Writes partition {@code p} to {@code dir/part-<p>.sbf} (replaced atomically); read back with {@link ExecutionContext#readFiles}. */
    public void write(final Path dir) {
        FileDataset.write(this, dir, PartitionFileFormat.BATCH_FILES);
    }

    /**
     * Writes partition {@code p} as an Arrow IPC file {@code dir/part-<p>.arrow} (replaced atomically), readable by
     * pyarrow, Polars, DuckDB, Spark...; read back with {@link ExecutionContext#readArrow}.
     */
    public void writeArrow(final Path dir) {
        FileDataset.write(this, dir, PartitionFileFormat.ARROW);
    }

    // ---- execution -------------------------------------------------------------------------------------------

    final int[] allPartitions() {
        final int[] parts = new int[numPartitions()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = i;
        }
        return parts;
    }

    /** Computes partitions {@code parts} in one stage; the caller owns (and releases) the batches. */
    List<Batch> computePartitions(final int[] parts) {
        return runChain("compute", parts, (b, k) -> b, this::concatParts, Batch::release).values;
    }

    /** Merges the output batches of a split task: one batch of their rows in order; releases the parts. */
    final Batch concatParts(final List<Batch> parts) {
        try {
            return BatchBuilder.concat(ctx.allocator(), schema(), parts);
        } finally {
            Batch.releaseAll(parts);
        }
    }

    /** A per-task final step: takes ownership of the chain's output batch. */
    @FunctionalInterface
    interface Finisher<R> {
        R finish(Batch batch, int k);

        /**
         * As {@link #finish} for the rows {@code selection} of {@code batch} (taking ownership of the batch): by
         * default they are copied to a dense batch first.
         */
        default R finishSelected(final Batch batch, final SelectionVector selection, final BufferAllocator allocator,
                                 final int k) {
            final Batch dense;
            try {
                dense = selection.materialize(batch, allocator);
            } finally {
                batch.release();
            }
            return finish(dense, k);
        }
    }

    /**
     * Runs the narrow chain ending at this node for partitions {@code parts} as one stage, ending each task with
     * {@code finisher}. Each intermediate batch is released as soon as the next operator consumed it.
     *
     * <p>With a {@code merger}, a task whose input size is known before the stage (a source's batches, a ranged
     * generator's partitions) and whose operators are all row-local runs in chunks that may split while it runs
     * ({@link PartitionStage}): each chunk runs the chain on its rows alone (a zero-copy slice, or only those rows
     * generated), the chunks' outputs are combined in row order (see {@link #runChunks}), and the results of the
     * parts a split made are merged in row order by {@code merger}.
     * Without one (the finisher's results cannot be merged), every task runs whole.
     */
    final <R> PartitionStage.Result<R> runChain(final String name, final int[] parts, final Finisher<R> finisher,
                                                final PartitionStage.Merger<R> merger,
                                                final java.util.function.Consumer<R> discard) {
        final List<BatchOp> ops = new ArrayList<>();
        Dataset node = this;
        while (node instanceof NarrowDataset) {
            ops.add(0, ((NarrowDataset) node).op());
            node = ((NarrowDataset) node).parent();
        }
        final BatchOp[] chain = SplitCountOp.fuse(ops).toArray(new BatchOp[0]);
        boolean rowLocal = merger != null;
        for (final BatchOp op : chain) {
            rowLocal &= op.isRowLocal();
        }
        try (StageInput input = node.openInput(parts)) {
            final long[] rows = new long[parts.length];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = rowLocal ? input.rows(k) : PartitionStage.WHOLE;
            }
            return PartitionStage.run(ctx, name, rows, (k, chunks, tc) -> chunks == null
                ? finish(finisher, applyChain(chain, input.get(k)), k)
                // One chunk (chunked tasks off): the part's rows as a whole task's, a selection finished in place.
                : chunks.single() ? finish(finisher, applyChain(chain, input.get(k, chunks.from(), chunks.to())), k)
                : endsInPartialAggregate(chain) ? aggregateChunks(chain, input, finisher, k, chunks)
                : runChunks(chain, input, finisher, merger, discard, k, chunks), merger, discard);
        }
    }

    /** The chain's output for one input batch (taken over): a dense batch, or a batch with the selected rows. */
    private static final class ChainOutput {
        final Batch batch;
        final SelectionVector selection;

        ChainOutput(final Batch batch, final SelectionVector selection) {
            this.batch = batch;
            this.selection = selection;
        }
    }

    /**
     * Runs {@code chain} on {@code batch} (taken over), releasing each intermediate batch as soon as the next operator
     * consumed it. Filters narrow a selection over the batch instead of copying; the next operator reads the selected
     * rows (in place where it can), and a finisher that only counts never copies them.
     */
    private ChainOutput applyChain(final BatchOp[] chain, final Batch input) {
        Batch batch = input;
        SelectionVector selection = null;
        for (final BatchOp op : chain) {
            if (op instanceof FilterOp) {
                try {
                    selection = ((FilterOp) op).select(batch, selection);
                } catch (final RuntimeException | Error ex) {
                    batch.release();
                    throw ex;
                }
                continue;
            }
            final Batch next;
            try {
                next = selection == null ? op.apply(batch, ctx.allocator()) : op.apply(batch, selection, ctx.allocator());
            } finally {
                batch.release();
            }
            selection = null;
            batch = next;
        }
        return new ChainOutput(batch, selection);
    }

    private <R> R finish(final Finisher<R> finisher, final ChainOutput out, final int k) {
        return out.selection == null ? finisher.finish(out.batch, k)
            : finisher.finishSelected(out.batch, out.selection, ctx.allocator(), k);
    }

    /** Whether the chain ends in a partial aggregate (alone, or fused with the split before it). */
    private static boolean endsInPartialAggregate(final BatchOp[] chain) {
        final BatchOp last = chain.length == 0 ? null : chain[chain.length - 1];
        return last instanceof SplitCountOp || last instanceof AggregateOp && !((AggregateOp) last).isFinal();
    }

    /**
     * Task {@code k} over the chunks it claims, for a chain ending in a partial aggregate: the operators before it run
     * per chunk, and the aggregate once per attempt on their concatenated outputs, so the attempt emits one partial
     * row per key as a whole task does (an aggregate per chunk multiplied the partial rows the exchange carries by the
     * chunks: word count ran 2-5x slower).
     */
    private <R> R aggregateChunks(final BatchOp[] chain, final StageInput input, final Finisher<R> finisher, final int k,
                                  final PartitionStage.Chunks chunks) {
        final BatchOp[] before = Arrays.copyOf(chain, chain.length - 1);
        final List<Batch> dense = new ArrayList<>(1);
        try {
            while (chunks.next()) {
                final ChainOutput out = applyChain(before, input.get(k, chunks.from(), chunks.to()));
                if (out.selection == null) {
                    dense.add(out.batch);
                } else {
                    try {
                        dense.add(out.selection.materialize(out.batch, ctx.allocator()));
                    } finally {
                        out.batch.release();
                    }
                }
            }
        } catch (final RuntimeException | Error ex) {
            Batch.releaseAll(dense);
            throw ex;
        }
        final Batch all = BatchBuilder.concatAndRelease(ctx.allocator(), dense.get(0).schema(), dense);
        final Batch partial;
        try {
            partial = chain[chain.length - 1].apply(all, ctx.allocator());
        } finally {
            all.release();
        }
        return finisher.finish(partial, k);
    }

    /**
     * Task {@code k} over the chunks it claims. A chain that ends in dense batches keeps each chunk's batch and runs
     * the finisher once on their concatenation (a finisher that fans out, like an exchange's partitioner, then makes
     * its pieces once per attempt, not per chunk); a chain that ends in a selection finishes each chunk on its own
     * (a count never copies rows) and merges the results with {@code merger}. Both keep row order. If a chunk throws,
     * what the chunks before it produced is released.
     */
    private <R> R runChunks(final BatchOp[] chain, final StageInput input, final Finisher<R> finisher,
                            final PartitionStage.Merger<R> merger, final java.util.function.Consumer<R> discard,
                            final int k, final PartitionStage.Chunks chunks) {
        final List<Batch> dense = new ArrayList<>(1);
        final List<R> finished = new ArrayList<>(1);
        try {
            while (chunks.next()) {
                final ChainOutput out;
                try {
                    out = applyChain(chain, input.get(k, chunks.from(), chunks.to()));
                    if (out.selection == null) {
                        dense.add(out.batch);
                    } else {
                        if (!dense.isEmpty()) {
                            throw new IllegalStateException("task=" + k + ": chunks ended both dense and selected");
                        }
                        finished.add(finisher.finishSelected(out.batch, out.selection, ctx.allocator(), k));
                    }
                } catch (final RuntimeException | Error ex) {
                    if (chunks.from() > 0) {
                        ex.addSuppressed(new IllegalStateException("in the chunk of rows [" + chunks.from() + ", "
                            + chunks.to() + ") of task=" + k + ": a row number above counts from row " + chunks.from()));
                    }
                    throw ex;
                }
            }
        } catch (final RuntimeException | Error ex) {
            Batch.releaseAll(dense);
            for (final R r : finished) {
                try {
                    discard.accept(r);
                } catch (final RuntimeException | Error e) {
                    ex.addSuppressed(e);
                }
            }
            throw ex;
        }
        if (finished.isEmpty()) {
            return finisher.finish(BatchBuilder.concatAndRelease(ctx.allocator(), schema(), dense), k);
        }
        return finished.size() == 1 ? finished.get(0) : merger.merge(finished);
    }

    /** Calls the {@link LineageVisitor} method describing this node (read-only; for translating backends). */
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.unsupported(this);
    }
}
