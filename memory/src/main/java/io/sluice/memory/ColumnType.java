package io.sluice.memory;

/** The type of one column. Codes are part of the batch file format and never change. */
public enum ColumnType {
    /** One bit per row, bit-packed. */
    BOOLEAN(1, 0),
    /** 32-bit signed integer, 4 bytes per row. */
    INT32(2, 4),
    /** 64-bit signed integer, 8 bytes per row. */
    INT64(3, 8),
    /** IEEE 754 double, 8 bytes per row. */
    FLOAT64(4, 8),
    /** UTF-8 text: int32 offsets (rows + 1) into a byte buffer. */
    UTF8(5, 0);

    private final int code;
    private final int byteWidth;

    ColumnType(final int code, final int byteWidth) {
        this.code = code;
        this.byteWidth = byteWidth;
    }

    /** The stable code stored in batch files. */
    public int code() {
        return code;
    }

    /** Bytes per row for fixed-width types; 0 for BOOLEAN (bit-packed) and UTF8 (variable width). */
    public int byteWidth() {
        return byteWidth;
    }

    /** The type with the given stable code. */
    public static ColumnType fromCode(final int code) {
        for (final ColumnType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type code=" + code);
    }
}
