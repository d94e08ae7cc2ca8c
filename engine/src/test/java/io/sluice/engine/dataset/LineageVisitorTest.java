package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/** The read-only lineage and expression descriptions a translating backend walks: one logical operator per node. */
class LineageVisitorTest extends LeakCheckedContext {
    /** Renders a lineage as text, parents first, with every parameter the visitor passes. */
    private static final class Render implements LineageVisitor<String> {
        @Override
        public String rows(final SourceDataset source) {
            return "rows" + source.schema().fields().size();
        }

        @Override
        public String files(final Schema schema, final List<Path> files) {
            return "files" + files.size();
        }

        @Override
        public String generated(final Schema schema, final int partitions, final PartitionGenerator generator) {
            return "generated" + partitions;
        }

        @Override
        public String filter(final Dataset parent, final Expr predicate) {
            return parent.accept(this) + " | filter " + predicate.accept(new ExprText());
        }

        @Override
        public String project(final Dataset parent, final List<Expr> exprs) {
            final List<String> out = new ArrayList<>();
            for (final Expr e : exprs) {
                out.add(e.projectedName() + "=" + e.accept(new ExprText()));
            }
            return parent.accept(this) + " | project " + out;
        }

        @Override
        public String flatMap(final Dataset parent, final String column, final String delimiters, final String as,
                              final List<String> keep) {
            return parent.accept(this) + " | flatMap " + column + " '" + delimiters + "' " + as + " " + keep;
        }

        @Override
        public String exchange(final Dataset parent, final List<String> keys, final int partitions) {
            return parent.accept(this) + " | exchange " + keys + " " + partitions;
        }

        @Override
        public String aggregate(final Dataset parent, final List<String> keys, final List<Agg> aggs) {
            return parent.accept(this) + " | aggregate " + keys + " " + aggs;
        }

        @Override
        public String join(final Dataset left, final Dataset right, final List<String> leftKeys, final List<String> rightKeys,
                           final JoinType type) {
            return "(" + left.accept(this) + ") " + type + " join (" + right.accept(this) + ") on " + leftKeys + "=" + rightKeys;
        }

        @Override
        public String union(final Dataset left, final Dataset right) {
            return "(" + left.accept(this) + ") union (" + right.accept(this) + ")";
        }

        @Override
        public String sort(final Dataset parent, final List<SortKey> keys, final int limit) {
            return parent.accept(this) + " | sort " + keys + (limit == Integer.MAX_VALUE ? "" : " limit " + limit);
        }

        @Override
        public String cached(final Dataset parent) {
            return parent.accept(this) + " | cache";
        }
    }

    /** Renders an expression from its description (not from toString), so a wrong accessor shows. */
    private static final class ExprText implements ExprVisitor<String> {
        @Override
        public String column(final String name) {
            return name;
        }

        @Override
        public String literal(final Object value, final ColumnType type) {
            return value + ":" + type;
        }

        @Override
        public String arithmetic(final String op, final Expr left, final Expr right) {
            return op + "(" + left.accept(this) + "," + right.accept(this) + ")";
        }

        @Override
        public String comparison(final String op, final Expr left, final Expr right) {
            return op + "(" + left.accept(this) + "," + right.accept(this) + ")";
        }

        @Override
        public String logical(final String op, final Expr left, final Expr right) {
            return op + "(" + left.accept(this) + (right == null ? "" : "," + right.accept(this)) + ")";
        }

        @Override
        public String isNull(final Expr input, final boolean isNull) {
            return (isNull ? "ISNULL(" : "NOTNULL(") + input.accept(this) + ")";
        }

        @Override
        public String coalesce(final List<Expr> args) {
            final List<String> out = new ArrayList<>();
            for (final Expr a : args) {
                out.add(a.accept(this));
            }
            return "COALESCE" + out;
        }

        @Override
        public String stringFn(final String op, final Expr input, final String pattern, final int start, final int length) {
            return op + "(" + input.accept(this) + "," + pattern + "," + start + "," + length + ")";
        }

        @Override
        public String split(final Expr input, final String delimiters) {
            return "SPLIT(" + input.accept(this) + ",'" + delimiters + "')";
        }

        @Override
        public String alias(final Expr inner, final String name) {
            return inner.accept(this);
        }
    }

    @Test
    void physicalStepsFoldIntoTheirLogicalOperator() {
        final Dataset rows = ctx.fromRows(DatasetTestSupport.SCHEMA, DatasetTestSupport.randomRows(1, 10), 2);
        final Dataset plan = rows.filter(col("v").gt(lit(0)).and(col("name").isNotNull().not()))
            .withColumn("w", col("v").div(lit(2L)))
            .flatMap(Expr.split(col("name"), " ,"), "word", "k")
            .groupBy("word").agg(Agg.count(), Agg.sum("k").as("total"));
        assertEquals("rows5 | filter AND(GT(v,0:INT32),NOT(NOTNULL(name)))"
            + " | project [k=k, name=name, v=v, x=x, flag=flag, w=DIV(v,2:INT64)]"
            + " | flatMap name ' ,' word [k] | aggregate [word] [COUNT(*) AS count, SUM(k) AS total]", plan.accept(new Render()));
        assertEquals("rows5 | aggregate [] [MAX(x) AS max_x]", rows.agg(Agg.max("x")).accept(new Render()));
        assertEquals("rows5 | project [k=k, name=name] | aggregate [k, name] []",
            rows.select("k", "name").distinct().accept(new Render()));
    }

    @Test
    void widerOperatorsDescribeTheirParentsAndParameters() {
        final Dataset rows = ctx.fromRows(DatasetTestSupport.SCHEMA, DatasetTestSupport.randomRows(2, 10), 2);
        final Dataset right = rows.select(col("k"), col("x").as("y"));
        assertEquals("(rows5) LEFT join (rows5 | project [k=k, y=x]) on [k]=[k]",
            rows.join(right, "k", JoinType.LEFT).accept(new Render()));
        assertEquals("(rows5) union (rows5 | cache) | exchange [k] 3 | sort [x DESC, k ASC] limit 4",
            rows.union(rows.cache()).repartition(3, "k").orderBy(SortKey.desc("x"), SortKey.asc("k")).limit(4)
                .accept(new Render()));
        assertEquals("generated3 | sort [] limit 2", ctx.generate(DatasetTestSupport.SCHEMA, 3, (p, b) -> { })
            .limit(2).accept(new Render()));
        assertEquals("rows5 | project [s=COALESCE[name, x:UTF8], n=SUBSTRING(LOWER(name,null,0,0),null,1,2)]",
            rows.select(Expr.coalesce(col("name"), lit("x")).as("s"), col("name").lower().substring(1, 2).as("n"))
                .accept(new Render()));
        assertEquals(ColumnType.INT64, col("v").plus(col("k")).typeIn(DatasetTestSupport.SCHEMA));
        assertNull(col("v").plus(col("k")).projectedName());
        assertEquals("SPLIT(name,' ')", Expr.split(col("name"), " ").accept(new ExprText()));
    }

    @Test
    void nodesWithoutADescriptionGoToUnsupported() {
        final Dataset rows = ctx.fromRows(DatasetTestSupport.SCHEMA, DatasetTestSupport.randomRows(3, 4), 1);
        final Dataset custom = new Dataset(ctx) {
            @Override
            public Schema schema() {
                return rows.schema();
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            StageInput openInput(final int[] parts) {
                throw new UnsupportedOperationException("not run");
            }
        };
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
            () -> custom.filter(col("v").isNull()).accept(new Render()));
        assertTrue(ex.getMessage().contains("no lineage description"), ex.getMessage());
    }
}
