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
 * would truncate). DECIMAL values (SQL literals such as {@code 2.5}) run as FLOAT64. A stream's event-time column is a
 * TIMESTAMP(3) in SQL and INT64 epoch millis in Sluice; day-time intervals are INT64 milliseconds.
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
        return rowType(factory, schema, null);
    }

    /** The SQL row type of a Sluice schema whose INT64 column {@code eventTime} (if not null) is a TIMESTAMP(3). */
    static RelDataType rowType(final RelDataTypeFactory factory, final Schema schema, final String eventTime) {
        final RelDataTypeFactory.Builder builder = factory.builder();
        for (final Field f : schema.fields()) {
            final RelDataType type = f.name().equals(eventTime) ? factory.createSqlType(SqlTypeName.TIMESTAMP, 3)
                : factory.createSqlType(sqlType(f.type()));
            builder.add(f.name(), factory.createTypeWithNullability(type, f.isNullable()));
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

    /** Whether {@code type} is a TIMESTAMP or an interval (held as INT64 millis, so casts to or from them would lie). */
    static boolean isTimeLike(final RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP || SqlTypeName.INTERVAL_TYPES.contains(type.getSqlTypeName());
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
            case TIMESTAMP:
            case INTERVAL_DAY:
            case INTERVAL_DAY_HOUR:
            case INTERVAL_DAY_MINUTE:
            case INTERVAL_DAY_SECOND:
            case INTERVAL_HOUR:
            case INTERVAL_HOUR_MINUTE:
            case INTERVAL_HOUR_SECOND:
            case INTERVAL_MINUTE:
            case INTERVAL_MINUTE_SECOND:
            case INTERVAL_SECOND:
                return ColumnType.INT64;
            default:
                return null;
        }
    }
}
