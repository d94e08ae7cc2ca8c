package io.sluice.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.dataset.LineageVisitor;
import io.sluice.engine.dataset.PartitionGenerator;
import io.sluice.engine.dataset.SortKey;
import io.sluice.engine.dataset.SourceDataset;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Translates one Sluice lineage node (and, recursively, its parents) into a Spark DataFrame whose columns have the
 * node's names, order and types. Throws {@link UnsupportedOperationException} naming the operator for anything it
 * cannot translate with the same result, and {@link IllegalArgumentException} naming a user function that cannot be
 * shipped to Spark tasks, before any Spark job runs.
 */
final class PlanTranslator implements LineageVisitor<org.apache.spark.sql.Dataset<Row>> {
    private final SparkSession spark;
    private final boolean root;
    private final Dataset placeholder;
    private final org.apache.spark.sql.Dataset<Row> bound;
    private final List<String> carry;

    private PlanTranslator(final SparkSession spark, final boolean root, final Dataset placeholder,
                           final org.apache.spark.sql.Dataset<Row> bound, final List<String> carry) {
        this.spark = spark;
        this.root = root;
        this.placeholder = placeholder;
        this.bound = bound;
        this.carry = carry;
    }

    /** The DataFrame of {@code dataset}; {@code root} says whether its rows are collected as they come (see {@link #sort}). */
    static org.apache.spark.sql.Dataset<Row> translate(final SparkSession spark, final Dataset dataset, final boolean root) {
        return dataset.accept(new PlanTranslator(spark, root, null, null, List.of()));
    }

    /**
     * The DataFrame of {@code dataset}, a row-wise lineage (filter, select, flatMap) over {@code placeholder}, with
     * {@code input} (a streaming DataFrame) in the placeholder's place; every projection and flatMap also keeps the
     * {@code carry} columns of {@code input} (columns Spark needs downstream that the Sluice plan does not name, such
     * as the watermarked event time).
     */
    static org.apache.spark.sql.Dataset<Row> translateOver(final SparkSession spark, final Dataset dataset, final Dataset placeholder,
                                                          final org.apache.spark.sql.Dataset<Row> input, final List<String> carry) {
        return dataset.accept(new PlanTranslator(spark, false, placeholder, input, List.copyOf(carry)));
    }

    private org.apache.spark.sql.Dataset<Row> parent(final Dataset parent) {
        return parent.accept(new PlanTranslator(spark, false, placeholder, bound, carry));
    }

    /** {@code cols} plus the carried columns. */
    private Column[] withCarry(final Column[] cols) {
        if (carry.isEmpty()) {
            return cols;
        }
        final Column[] out = java.util.Arrays.copyOf(cols, cols.length + carry.size());
        for (int i = 0; i < carry.size(); i++) {
            out[cols.length + i] = col(carry.get(i));
        }
        return out;
    }

    private static Column col(final String name) {
        return functions.col(SparkTypes.quote(name));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> rows(final SourceDataset source) {
        if (source == placeholder) {
            return bound;
        }
        // In-memory source batches live in this (the driver's) JVM: their rows are shipped to the tasks, one Spark
        // partition per Sluice partition's worth of rows, in order (parallelize slices a list contiguously).
        final List<Row> rows = new ArrayList<>();
        for (final Object[] r : source.collect()) {
            rows.add(RowFactory.create(r));
        }
        final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, Math.max(1, source.numPartitions())), SparkTypes.of(source.schema()));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> files(final Schema schema, final List<Path> files) {
        return files(schema, files, false);
    }

    /**
     * Arrow IPC files are read in Spark tasks by Sluice's Arrow reader, one partition per file, as batch files are:
     * Spark has no Arrow IPC file source, and this reads exactly the rows and types Sluice reads.
     */
    @Override
    public org.apache.spark.sql.Dataset<Row> arrowFiles(final Schema schema, final List<Path> files) {
        return files(schema, files, true);
    }

    private org.apache.spark.sql.Dataset<Row> files(final Schema schema, final List<Path> files, final boolean arrow) {
        final List<String> paths = new ArrayList<>(files.size());
        for (final Path p : files) {
            paths.add(p.toAbsolutePath().toString());
        }
        final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(paths, Math.max(1, paths.size())).mapPartitions(
            BatchPartitions.files(new SchemaSpec(schema), arrow)), SparkTypes.of(schema));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> generated(final Schema schema, final int partitions,
                                                        final PartitionGenerator generator) {
        requireSerializable(generator, "the PartitionGenerator of generate(schema=" + schema + ", partitions=" + partitions + ")");
        final List<Integer> parts = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            parts.add(p);
        }
        final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(parts, Math.max(1, partitions)).mapPartitions(
            BatchPartitions.generated(new SchemaSpec(schema), generator)), SparkTypes.of(schema));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> filter(final Dataset parent, final Expr predicate) {
        // Spark's filter keeps rows where the predicate is true, dropping false and null, as Sluice does.
        return parent(parent).filter(new ExprTranslator(parent.schema()).translate(predicate));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> project(final Dataset parent, final List<Expr> exprs) {
        final ExprTranslator tr = new ExprTranslator(parent.schema());
        final Column[] cols = new Column[exprs.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = tr.translate(exprs.get(i)).as(exprs.get(i).projectedName());
        }
        return parent(parent).select(withCarry(cols));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> flatMap(final Dataset parent, final String column, final String delimiters,
                                                      final String as, final List<String> keep) {
        // Sluice drops empty tokens: split at runs of delimiters, then drop the empty first/last token.
        final StringBuilder regex = new StringBuilder("[");
        for (final char c : delimiters.toCharArray()) {
            regex.append(Pattern.quote(String.valueOf(c)));
        }
        regex.append("]+");
        final Column[] cols = new Column[keep.size() + 1];
        cols[0] = functions.explode(functions.split(col(column), regex.toString(), -1)).as(as);
        for (int i = 0; i < keep.size(); i++) {
            cols[i + 1] = col(keep.get(i));
        }
        return parent(parent).select(withCarry(cols)).filter(col(as).notEqual(functions.lit("")));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> exchange(final Dataset parent, final List<String> keys, final int partitions) {
        final Column[] cols = new Column[keys.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = col(keys.get(i));
        }
        return parent(parent).repartition(partitions, cols);
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> aggregate(final Dataset parent, final List<String> keys, final List<Agg> aggs) {
        final Schema in = parent.schema();
        final org.apache.spark.sql.Dataset<Row> df = parent(parent);
        final List<Column> values = new ArrayList<>();
        for (final Agg agg : aggs) {
            values.add(aggregate(in, agg).as(agg.name()));
        }
        // A group-by without aggregates (distinct) still needs one for Spark's API; it is dropped below.
        final String filler = unusedName(in);
        if (values.isEmpty()) {
            values.add(functions.count(functions.lit(1)).as(filler));
        }
        final Column first = values.get(0);
        final Column[] rest = values.subList(1, values.size()).toArray(new Column[0]);
        final org.apache.spark.sql.Dataset<Row> grouped;
        if (keys.isEmpty()) {
            // Global aggregate: one row even for empty input, COUNT 0 and the rest null: Spark's semantics too.
            grouped = df.agg(first, rest);
        } else {
            final Column[] keyCols = new Column[keys.size()];
            for (int i = 0; i < keyCols.length; i++) {
                keyCols[i] = col(keys.get(i));
            }
            grouped = df.groupBy(keyCols).agg(first, rest);
        }
        // A FLOAT64 key group holds -0.0 and 0.0 alike in both engines; Spark outputs it as 0.0, Sluice as the first
        // value it saw.
        final List<Column> out = new ArrayList<>();
        for (final String key : keys) {
            out.add(col(key));
        }
        for (final Agg agg : aggs) {
            out.add(col(agg.name()));
        }
        return grouped.select(out.toArray(new Column[0]));
    }

    private static String unusedName(final Schema in) {
        String name = "_sluice_rows";
        while (in.contains(name)) {
            name = "_" + name;
        }
        return name;
    }

    /** One Sluice aggregate over rows of {@code in} as a Spark aggregate column of the Sluice result type. */
    static Column aggregate(final Schema in, final Agg agg) {
        if (agg.column() == null) {
            return functions.count(functions.lit(1));
        }
        final Column c = col(agg.column());
        final ColumnType type = in.field(agg.column()).type();
        switch (agg.fn()) {
            case COUNT:
                return functions.count(c);
            case SUM:
                // Integer sums are INT64 and wrap (ANSI off); FLOAT64 sums are FLOAT64.
                return type == ColumnType.FLOAT64 ? functions.sum(c) : functions.sum(c.cast("long"));
            case MIN:
                return type == ColumnType.FLOAT64 ? DoubleSemantics.min(c) : functions.min(c);
            case MAX:
                return type == ColumnType.FLOAT64 ? DoubleSemantics.max(c) : functions.max(c);
            case AVG:
                return functions.avg(c.cast("double"));
            default:
                throw new UnsupportedOperationException("aggregate " + agg + " has no Spark translation");
        }
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> join(final Dataset left, final Dataset right, final List<String> leftKeys,
                                                   final List<String> rightKeys, final JoinType type) {
        final String joinType;
        switch (type) {
            case INNER:
                joinType = "inner";
                break;
            case LEFT:
                joinType = "left";
                break;
            default:
                throw new UnsupportedOperationException("join type " + type + " has no Spark translation");
        }
        // Aliases keep the sides apart even when both come from the same lineage (a self-join).
        final org.apache.spark.sql.Dataset<Row> l = parent(left).alias("l");
        final org.apache.spark.sql.Dataset<Row> r = parent(right).alias("r");
        Column on = null;
        for (int i = 0; i < leftKeys.size(); i++) {
            final Column lk = functions.col("l." + SparkTypes.quote(leftKeys.get(i)));
            final Column rk = functions.col("r." + SparkTypes.quote(rightKeys.get(i)));
            // Null keys never match, as in Sluice: '=' with a null is null; -0.0 matches 0.0 and NaN matches NaN in both.
            on = on == null ? lk.equalTo(rk) : on.and(lk.equalTo(rk));
        }
        final List<Column> out = new ArrayList<>();
        for (final Field f : left.schema().fields()) {
            out.add(functions.col("l." + SparkTypes.quote(f.name())).as(f.name()));
        }
        for (final Field f : right.schema().fields()) {
            final int k = rightKeys.indexOf(f.name());
            if (k >= 0 && leftKeys.get(k).equals(f.name())) {
                continue;
            }
            out.add(functions.col("r." + SparkTypes.quote(f.name())).as(f.name()));
        }
        return l.join(r, on, joinType).select(out.toArray(new Column[0]));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> union(final Dataset left, final Dataset right) {
        return parent(left).union(parent(right));
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> sort(final Dataset parent, final List<SortKey> keys, final int limit) {
        if (keys.isEmpty()) {
            if (limit == Integer.MAX_VALUE) {
                return parent(parent);
            }
            // Sluice's limit without orderBy keeps the first rows in partition order. Spark keeps that order only when
            // the rows are collected straight from an order-preserving plan; anywhere else it would pick other rows.
            if (!root || !OrderPreserving.check(parent)) {
                throw new UnsupportedOperationException("limit(" + limit + ") without orderBy over " + parent
                    + " has no Spark translation with the same rows: Sluice takes the first rows in its partition order,"
                    + " which Spark reproduces only for a collected source -> filter/select/flatMap/union chain; use"
                    + " orderBy(...).limit(n)");
            }
            return parent(parent).limit(limit);
        }
        final Column[] order = new Column[keys.size()];
        for (int i = 0; i < order.length; i++) {
            final Column k = col(keys.get(i).column());
            // Sluice: ascending puts nulls last, descending puts them first (Spark's defaults are the opposite).
            order[i] = keys.get(i).ascending() ? k.asc_nulls_last() : k.desc_nulls_first();
        }
        final org.apache.spark.sql.Dataset<Row> sorted = parent(parent).orderBy(order);
        return limit == Integer.MAX_VALUE ? sorted : sorted.limit(limit);
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> cached(final Dataset parent) {
        return parent(parent);
    }

    @Override
    public org.apache.spark.sql.Dataset<Row> unsupported(final Dataset node) {
        throw new UnsupportedOperationException("dataset operator " + node.getClass().getSimpleName() + " (" + node
            + ") has no Spark translation");
    }

    /** Throws naming {@code what} if {@code fn} cannot be serialized (so cannot run in a Spark task on a cluster). */
    static void requireSerializable(final Object fn, final String what) {
        requireSerializable(fn, what, "(PartitionGenerator & Serializable) (p, b) -> ...");
    }

    /** {@link #requireSerializable(Object, String)} with {@code example}, a serializable lambda of the function's type. */
    static void requireSerializable(final Object fn, final String what, final String example) {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(fn);
        } catch (final IOException ex) {
            throw new IllegalArgumentException(what + " (class " + fn.getClass().getName() + ") is not serializable, so it"
                + " cannot run in Spark tasks: " + ex + ". Make it Serializable, e.g. " + example
                + ", capturing only serializable values", ex);
        }
    }
}
