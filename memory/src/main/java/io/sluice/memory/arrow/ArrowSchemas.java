package io.sluice.memory.arrow;

import java.util.ArrayList;
import java.util.List;

import com.google.flatbuffers.FlatBufferBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.apache.arrow.flatbuf.Bool;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.Type;
import org.apache.arrow.flatbuf.Utf8;

/** The exact mapping between Sluice schemas and Arrow {@code Schema} flatbuffers (see {@link ArrowIpcDescriptor}). */
final class ArrowSchemas {
    private ArrowSchemas() {
    }

    /** Adds {@code schema} to {@code builder} as an Arrow Schema table; returns its offset. */
    static int write(final FlatBufferBuilder builder, final Schema schema) {
        final int[] fields = new int[schema.fieldCount()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = writeField(builder, schema.field(i));
        }
        final int fieldVector = org.apache.arrow.flatbuf.Schema.createFieldsVector(builder, fields);
        org.apache.arrow.flatbuf.Schema.startSchema(builder);
        org.apache.arrow.flatbuf.Schema.addEndianness(builder, Endianness.Little);
        org.apache.arrow.flatbuf.Schema.addFields(builder, fieldVector);
        return org.apache.arrow.flatbuf.Schema.endSchema(builder);
    }

    private static int writeField(final FlatBufferBuilder builder, final Field field) {
        final int name = builder.createString(field.name());
        final byte typeType;
        final int type;
        switch (field.type()) {
            case BOOLEAN:
                typeType = Type.Bool;
                Bool.startBool(builder);
                type = Bool.endBool(builder);
                break;
            case INT32:
            case INT64:
                typeType = Type.Int;
                type = Int.createInt(builder, field.type() == ColumnType.INT32 ? 32 : 64, true);
                break;
            case FLOAT64:
                typeType = Type.FloatingPoint;
                type = FloatingPoint.createFloatingPoint(builder, Precision.DOUBLE);
                break;
            case UTF8:
                typeType = Type.Utf8;
                Utf8.startUtf8(builder);
                type = Utf8.endUtf8(builder);
                break;
            default:
                throw new IllegalArgumentException("column '" + field.name() + "' has type=" + field.type() + " with no Arrow mapping");
        }
        // An empty children vector, not an absent one: some readers require the field.
        final int children = org.apache.arrow.flatbuf.Field.createChildrenVector(builder, new int[0]);
        org.apache.arrow.flatbuf.Field.startField(builder);
        org.apache.arrow.flatbuf.Field.addName(builder, name);
        org.apache.arrow.flatbuf.Field.addNullable(builder, field.isNullable());
        org.apache.arrow.flatbuf.Field.addTypeType(builder, typeType);
        org.apache.arrow.flatbuf.Field.addType(builder, type);
        org.apache.arrow.flatbuf.Field.addChildren(builder, children);
        return org.apache.arrow.flatbuf.Field.endField(builder);
    }

    /**
     * The Sluice schema of an Arrow Schema table. Throws {@link ArrowFormatException} at {@code offset} naming the field
     * and its Arrow type when a field has no Sluice column type (or is dictionary encoded, or has children), and when
     * the data is big-endian.
     */
    static Schema read(final org.apache.arrow.flatbuf.Schema schema, final String source, final long offset) {
        if (schema.endianness() != Endianness.Little) {
            throw new ArrowFormatException(source, offset, "big-endian Arrow data is not supported (endianness="
                + schema.endianness() + ")");
        }
        final int count = schema.fieldsLength();
        if (count < 0 || count > schema.getByteBuffer().limit() / Integer.BYTES) {
            throw new ArrowFormatException(source, offset, "schema lists " + count + " fields, more than its metadata can hold");
        }
        final List<Field> fields = new ArrayList<>(count);
        final org.apache.arrow.flatbuf.Field arrow = new org.apache.arrow.flatbuf.Field();
        for (int i = 0; i < count; i++) {
            schema.fields(arrow, i);
            fields.add(readField(arrow, i, source, offset));
        }
        try {
            return new Schema(fields);
        } catch (final IllegalArgumentException ex) {
            throw new ArrowFormatException(source, offset, ex.getMessage(), ex);
        }
    }

    private static Field readField(final org.apache.arrow.flatbuf.Field arrow, final int index, final String source, final long offset) {
        final String name = arrow.name();
        if (name == null || name.isEmpty()) {
            throw new ArrowFormatException(source, offset, "field index=" + index + " has no name (Sluice columns are named)");
        }
        final String described = describeType(arrow);
        final ColumnType type = columnType(arrow);
        if (type == null || arrow.dictionary() != null || arrow.childrenLength() != 0) {
            final String why = arrow.dictionary() != null ? " (dictionary encoded)"
                : arrow.childrenLength() != 0 && type != null ? " (with " + arrow.childrenLength() + " children)" : "";
            throw new ArrowFormatException(source, offset, "field '" + name + "' has Arrow type " + described + why
                + ", which Sluice does not support (supported: Bool, Int(32|64, signed), FloatingPoint(DOUBLE), Utf8)");
        }
        return new Field(name, type, arrow.nullable());
    }

    /** The Sluice type of an Arrow field's type, or null when it has none. */
    private static ColumnType columnType(final org.apache.arrow.flatbuf.Field arrow) {
        switch (arrow.typeType()) {
            case Type.Bool:
                return ColumnType.BOOLEAN;
            case Type.Utf8:
                return ColumnType.UTF8;
            case Type.Int: {
                final Int type = (Int) arrow.type(new Int());
                if (type == null || !type.isSigned()) {
                    return null;
                }
                return type.bitWidth() == 32 ? ColumnType.INT32 : type.bitWidth() == 64 ? ColumnType.INT64 : null;
            }
            case Type.FloatingPoint: {
                final FloatingPoint type = (FloatingPoint) arrow.type(new FloatingPoint());
                return type != null && type.precision() == Precision.DOUBLE ? ColumnType.FLOAT64 : null;
            }
            default:
                return null;
        }
    }

    /** An Arrow type as a message names it: {@code Int(bitWidth=16, signed=false)}, {@code Decimal}, ... */
    static String describeType(final org.apache.arrow.flatbuf.Field arrow) {
        final byte typeType = arrow.typeType();
        if (typeType == Type.Int) {
            final Int type = (Int) arrow.type(new Int());
            return type == null ? "Int(no type table)" : "Int(bitWidth=" + type.bitWidth() + ", signed=" + type.isSigned() + ")";
        }
        if (typeType == Type.FloatingPoint) {
            final FloatingPoint type = (FloatingPoint) arrow.type(new FloatingPoint());
            return type == null ? "FloatingPoint(no type table)" : "FloatingPoint(" + precisionName(type.precision()) + ")";
        }
        return typeType >= 0 && typeType < Type.names.length ? Type.names[typeType] : "unknown type code " + typeType;
    }

    private static String precisionName(final short precision) {
        return precision >= 0 && precision < Precision.names.length ? Precision.names[precision] : "precision code " + precision;
    }
}
