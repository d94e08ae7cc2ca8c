package io.sluice.sql;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.Lex;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.ProxyingMetadataHandlerProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import io.sluice.engine.dataset.Dataset;

/**
 * Calcite's half of a query: parse ({@link Lex#JAVA}: case-sensitive names, back-quoted identifiers; the lenient
 * conformance, which accepts {@code %} and other common forms), validate against the registered tables, convert to a
 * {@link RelNode} tree, and rewrite it with a few {@link HepPlanner} rules (filters into and below joins, join
 * expressions into projections, adjacent projections and filters merged). Metadata is computed by reflection proxies,
 * never by generated code. Not thread-safe: one instance per query.
 */
final class SqlPlanner {
    private static final SqlConformance CONFORMANCE = new SqlDelegatingConformance(SqlConformanceEnum.LENIENT) {
        /** CASE 'a' ... ELSE 'abc' is VARCHAR, not a blank-padded CHAR(3). */
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }
    };
    private static final HepProgram PROGRAM = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.JOIN_PUSH_EXPRESSIONS,
            CoreRules.FILTER_MERGE,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE))
        .build();

    private final Map<String, Dataset> tables;
    private final Map<String, StreamTable> streams;
    private final RelDataTypeFactory typeFactory = new SqlTypeFactoryImpl(SqlTypes.SYSTEM);
    private SqlNode validated;
    private SupportedSyntax syntax;
    private List<String> outputNames;

    SqlPlanner(final Map<String, Dataset> tables, final Map<String, StreamTable> streams) {
        this.tables = tables;
        this.streams = streams;
    }

    /** The query's output column names (after {@link #plan}), made unique. */
    List<String> outputNames() {
        return outputNames;
    }

    /** Positions of the query's operators (after {@link #plan}), for errors found after validation. */
    SupportedSyntax syntax() {
        return syntax;
    }

    /** Parses, validates, converts and rewrites {@code query}; throws {@link SqlException} on any error. */
    RelNode plan(final String query) {
        final SqlNode parsed;
        try {
            parsed = SqlParser.create(query, SqlParser.config().withLex(Lex.JAVA).withConformance(CONFORMANCE))
                .parseQuery();
        } catch (final SqlParseException ex) {
            final SqlParserPos pos = ex.getPos();
            throw new SqlException("syntax error: " + firstLine(ex.getMessage()), pos == null ? 1 : pos.getLineNum(),
                pos == null ? 1 : pos.getColumnNum(), ex);
        }
        syntax = SupportedSyntax.check(parsed);
        final CalciteSchema schema = CalciteSchema.createRootSchema(false, false);
        for (final Map.Entry<String, Dataset> e : tables.entrySet()) {
            schema.add(e.getKey(), new DatasetTable(e.getValue()));
        }
        streams.forEach(schema::add);
        final Properties props = new Properties();
        props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
        final CalciteCatalogReader catalog = new CalciteCatalogReader(schema, List.of(), typeFactory,
            new CalciteConnectionConfigImpl(props));
        final SqlValidator validator = SqlValidatorUtil.newValidator(SqlStdOperatorTable.instance(), catalog, typeFactory,
            SqlValidator.Config.DEFAULT.withConformance(CONFORMANCE).withIdentifierExpansion(true));
        try {
            validated = validator.validate(parsed);
        } catch (final CalciteContextException ex) {
            throw new SqlException(firstLine(ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage()),
                ex.getPosLine(), ex.getPosColumn(), ex);
        }
        final HepPlanner hep = new HepPlanner(PROGRAM);
        final RelOptCluster cluster = RelOptCluster.create(hep, new RexBuilder(typeFactory));
        cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(
            new ProxyingMetadataHandlerProvider(DefaultRelMetadataProvider.INSTANCE)));
        final SqlToRelConverter converter = new SqlToRelConverter((type, q, path, viewPath) -> {
            throw new UnsupportedOperationException("views");
        }, validator, catalog, cluster, StandardConvertletTable.INSTANCE,
            SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
        final RelRoot root = converter.convertQuery(validated, false, true);
        outputNames = SqlValidatorUtil.uniquify(root.validatedRowType.getFieldNames(), true);
        RelNode rel = root.rel;
        rel = converter.trimUnusedFields(true, rel);
        hep.setRoot(rel);
        return hep.findBestExp();
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "";
        }
        final int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
