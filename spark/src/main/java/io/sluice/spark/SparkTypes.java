package io.sluice.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Sluice column types and rows as Spark SQL types and rows; the boxed values (Integer, Long, ...) are the same. */
final class SparkTypes {
    private SparkTypes() {
    }

    static DataType of(final ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return DataTypes.BooleanType;
            case INT32:
                return DataTypes.IntegerType;
            case INT64:
                return DataTypes.LongType;
            case FLOAT64:
                return DataTypes.DoubleType;
            case UTF8:
                return DataTypes.StringType;
            default:
                throw new UnsupportedOperationException("column type=" + type + " has no Spark translation");
        }
    }

    static StructType of(final Schema schema) {
        final List<StructField> fields = new ArrayList<>(schema.fieldCount());
        for (final Field f : schema.fields()) {
            fields.add(DataTypes.createStructField(f.name(), of(f.type()), f.isNullable()));
        }
        return DataTypes.createStructType(fields);
    }

    /** A Spark row as Sluice's boxed row ({@code Dataset.collect()} shape). */
    static Object[] toSluice(final Row row) {
        final Object[] out = new Object[row.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = row.get(c);
        }
        return out;
    }

    /** A Spark column name reference that takes {@code name} literally (dots, spaces and backticks included). */
    static String quote(final String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
