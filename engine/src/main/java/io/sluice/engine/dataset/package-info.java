/**
 * Batch jobs over partitioned, columnar, off-heap data: the {@link io.sluice.engine.dataset.Dataset} API and its
 * operators, run as stages on an {@link io.sluice.engine.dataset.ExecutionContext}'s scheduler.
 *
 * <h2>Lineage</h2>
 * A {@code Dataset} is a lineage node: a source (batches, rows, a generator, batch files), or a parent plus an
 * operator. Transformations only build nodes; actions ({@code collect}, {@code count}, {@code write}) run them. Any
 * partition can be recomputed from its lineage, so a lost or failed partition is simply run again, on any worker;
 * many lost partitions recompute in parallel.
 *
 * <h2>Stage cutting</h2>
 * Narrow operators ({@code NarrowDataset} over a {@code BatchOp}: filter, project, flatMap, partial aggregate) fuse
 * into the stage of their nearest non-narrow ancestor: one task per partition runs the whole chain a batch at a
 * time, releasing each intermediate batch once the next operator consumed it. A wide operator
 * ({@code ExchangeDataset}: a columnar hash exchange, behind group-by, join and repartition) ends a stage: the map
 * stage splits each task's output by key hash, the next stage concatenates piece j of every map task. When every
 * operator of a chain is row-local and the input size is known, a large task becomes a
 * {@link io.sluice.engine.sched.Task#merging} task that the scheduler may split into morsels (zero-copy slices),
 * merging the parts' outputs in row order. {@code PartitionStage} runs each stage on the scheduler's one commit
 * protocol: exactly one output per task, and every output nobody will see released through the stage's discarder.
 *
 * <h2>Where to add an operator</h2>
 * A per-partition operator is a new {@code BatchOp} (one batch in, one new batch out; say whether it is row-local)
 * plus a method on {@code Dataset} that wraps it in a {@code NarrowDataset}; an expression is a new
 * {@link io.sluice.engine.dataset.Expr} node (bound once per schema, evaluated a column at a time); an operator that
 * needs all rows of a key goes behind an {@code ExchangeDataset} like {@code GroupedDataset} and
 * {@code JoinDataset}. Add its case to {@code OperatorReferenceTest}, which checks every operator against a
 * row-at-a-time reference.
 */
package io.sluice.engine.dataset;
