package io.sluice.engine.dataset;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * CAST to another column type. Integers narrow to INT32 only when the value fits; FLOAT64 to an integer truncates
 * toward zero (as Java, Calcite and Spark do); numbers and booleans format as Java does ({@code Long.toString}, {@code Double.toString},
 * {@code true}/{@code false}); UTF8 parses after trimming blanks (booleans: {@code true}/{@code false}, any case).
 * A value that does not convert throws {@link IllegalArgumentException} naming the value and the row. Null stays null.
 */
final class Cast extends Expr {
    private final Expr input;
    private final ColumnType target;

    Cast(final Expr input, final ColumnType target) {
        this.input = input;
        this.target = target;
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr in = input.bind(schema);
        final ColumnType from = in.type();
        if (from == target) {
            return in;
        }
        final Function<Batch, ColumnValues> eval = batch -> {
            final ColumnValues a = in.eval(batch);
            final ColumnValues out = new ColumnValues(target, a.size);
            for (int row = 0; row < a.size; row++) {
                if (a.isNull(row)) {
                    out.setNull(row);
                    if (target == ColumnType.UTF8) {
                        out.reserveUtf8(row, 0);
                    }
                    continue;
                }
                convert(a, from, row, out);
            }
            return out;
        };
        // Widening an in-place integer (to INT64 or FLOAT64) never fails: read in place too.
        final boolean widening = in.inPlace() && (from == ColumnType.INT32 || from == ColumnType.INT64)
            && (target == ColumnType.FLOAT64 || target == ColumnType.INT64);
        if (!widening) {
            return BoundExpr.of(target, eval);
        }
        return new BoundExpr.InPlace(target, eval, this) {
            @Override
            public LongRows longRows(final Batch batch) {
                return target == ColumnType.INT64 ? in.longRows(batch) : super.longRows(batch);
            }

            @Override
            public DoubleRows doubleRows(final Batch batch) {
                return in.doubleRows(batch);
            }
        };
    }

    private void convert(final ColumnValues a, final ColumnType from, final int row, final ColumnValues out) {
        switch (target) {
            case INT32:
            case INT64: {
                final long v;
                if (from == ColumnType.FLOAT64) {
                    v = truncate(a.doubles[row], row);
                } else if (from == ColumnType.BOOLEAN) {
                    v = a.bools[row] ? 1 : 0;
                } else if (from == ColumnType.UTF8) {
                    v = parseLong(text(a, row), row);
                } else {
                    v = a.longs[row];
                }
                if (target == ColumnType.INT32 && (int) v != v) {
                    throw bad(String.valueOf(v), row);
                }
                out.longs[row] = v;
                break;
            }
            case FLOAT64:
                if (from == ColumnType.UTF8) {
                    out.doubles[row] = parseDouble(text(a, row), row);
                } else if (from == ColumnType.BOOLEAN) {
                    out.doubles[row] = a.bools[row] ? 1 : 0;
                } else {
                    out.doubles[row] = a.asDouble(row);
                }
                break;
            case BOOLEAN:
                if (from == ColumnType.UTF8) {
                    final String s = text(a, row).strip();
                    if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                        throw bad(s, row);
                    }
                    out.bools[row] = s.equalsIgnoreCase("true");
                } else {
                    out.bools[row] = a.asDouble(row) != 0;
                }
                break;
            default: {
                final String s;
                if (from == ColumnType.FLOAT64) {
                    s = Double.toString(a.doubles[row]);
                } else if (from == ColumnType.BOOLEAN) {
                    s = Boolean.toString(a.bools[row]);
                } else {
                    s = Long.toString(a.longs[row]);
                }
                final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
                out.appendUtf8(row, bytes, 0, bytes.length);
                break;
            }
        }
    }

    private long truncate(final double d, final int row) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            throw bad(String.valueOf(d), row);
        }
        return (long) d;
    }

    private long parseLong(final String s, final int row) {
        try {
            return Long.parseLong(s.strip());
        } catch (final NumberFormatException ex) {
            throw bad(s, row);
        }
    }

    private double parseDouble(final String s, final int row) {
        try {
            return Double.parseDouble(s.strip());
        } catch (final NumberFormatException ex) {
            throw bad(s, row);
        }
    }

    private static String text(final ColumnValues a, final int row) {
        return new String(a.bytes, a.offsets[row], a.utf8Length(row), StandardCharsets.UTF_8);
    }

    private IllegalArgumentException bad(final String value, final int row) {
        return new IllegalArgumentException("cannot cast value='" + value + "' at row=" + row + " to " + target + " in " + this);
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.cast(input, target);
    }

    @Override
    public String toString() {
        return "cast(" + input + " AS " + target + ")";
    }
}
