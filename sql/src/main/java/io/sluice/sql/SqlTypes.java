package io.sluice.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Sluice column types as SQL types and back, and the type rules Sluice's aggregates follow: SUM of integers is
 * BIGINT, SUM of anything else and AVG are DOUBLE (Calcite's defaults keep the argument type, so AVG of an INTEGER
 * would truncate). DECIMAL values (SQL literals such as {@code 2.5}) run as FLOAT64.
 */
final class SqlTypes extends RelDataTypeSystemImpl {
    static final SqlTypes SYSTEM = new SqlTypes();

    private SqlTypes() {
    }

    /** CASE 'a' ... ELSE 'abc' is VARCHAR, not a blank-padded CHAR(3). */
    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }

    @Override
    public RelDataType deriveSumType(final RelDataTypeFactory factory, final RelDataType argument) {
        final ColumnType in = columnType(argument);
        final SqlTypeName name = in == ColumnType.INT32 || in == ColumnType.INT64 ? SqlTypeName.BIGINT : SqlTypeName.DOUBLE;
        return factory.createTypeWithNullability(factory.createSqlType(name), argument.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(final RelDataTypeFactory factory, final RelDataType argument) {
        return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DOUBLE), argument.isNullable());
    }

    /** The SQL row type of a Sluice schema. */
    static RelDataType rowType(final RelDataTypeFactory factory, final Schema schema) {
        final RelDataTypeFactory.Builder builder = factory.builder();
        for (final Field f : schema.fields()) {
            builder.add(f.name(), factory.createTypeWithNullability(factory.createSqlType(sqlType(f.type())), f.isNullable()));
        }
        return builder.build();
    }

    static SqlTypeName sqlType(final ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return SqlTypeName.BOOLEAN;
            case INT32:
                return SqlTypeName.INTEGER;
            case INT64:
                return SqlTypeName.BIGINT;
            case FLOAT64:
                return SqlTypeName.DOUBLE;
            default:
                return SqlTypeName.VARCHAR;
        }
    }

    /** The Sluice column type that holds values of SQL type {@code type}, or null if there is none. */
    static ColumnType columnType(final RelDataType type) {
        switch (type.getSqlTypeName()) {
            case BOOLEAN:
                return ColumnType.BOOLEAN;
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                return ColumnType.INT32;
            case BIGINT:
                return ColumnType.INT64;
            case DECIMAL:
                return type.getScale() == 0 && type.getPrecision() <= 18 ? ColumnType.INT64 : ColumnType.FLOAT64;
            case FLOAT:
            case REAL:
            case DOUBLE:
                return ColumnType.FLOAT64;
            case CHAR:
            case VARCHAR:
                return ColumnType.UTF8;
            default:
                return null;
        }
    }
}
