package io.sluice.engine.dataset;

import java.nio.charset.StandardCharsets;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * SQL LIKE with a constant pattern: {@code %} matches any run of characters, {@code _} exactly one character
 * (one UTF-8 sequence), and the escape character (if any) makes the next pattern character literal. Matching works
 * on the UTF-8 bytes, case-sensitive. Null in, null out.
 */
final class Like extends Expr {
    /** Pattern byte that stands for {@code %} / {@code _} after unescaping (never a valid UTF-8 byte). */
    private static final int ANY_RUN = 0x1FF;
    private static final int ANY_ONE = 0x1FE;

    private final Expr input;
    private final String pattern;
    private final Character escape;
    private final int[] compiled;

    Like(final Expr input, final String pattern, final Character escape) {
        this.input = input;
        this.pattern = java.util.Objects.requireNonNull(pattern, "pattern");
        this.escape = escape;
        this.compiled = compile(pattern, escape);
    }

    private static int[] compile(final String pattern, final Character escape) {
        final java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            final char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                if (i + 1 == pattern.length()) {
                    throw new IllegalArgumentException("LIKE pattern '" + pattern + "' ends with its escape character '"
                        + escape + "'");
                }
                final int cp = pattern.codePointAt(i + 1);
                final byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (final byte x : b) {
                    out.add(x & 0xFF);
                }
                i += Character.charCount(cp);
            } else if (c == '%') {
                out.add(ANY_RUN);
            } else if (c == '_') {
                out.add(ANY_ONE);
            } else {
                final int cp = pattern.codePointAt(i);
                for (final byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.add(x & 0xFF);
                }
                i += Character.charCount(cp) - 1;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    BoundExpr bind(final Schema schema) {
        final BoundExpr in = input.bind(schema);
        if (in.type() != ColumnType.UTF8) {
            throw new IllegalArgumentException("LIKE needs a UTF8 operand: " + input + " has type=" + in.type());
        }
        return BoundExpr.of(ColumnType.BOOLEAN, batch -> {
            final ColumnValues a = in.eval(batch);
            final ColumnValues out = new ColumnValues(ColumnType.BOOLEAN, a.size);
            for (int row = 0; row < a.size; row++) {
                if (a.isNull(row)) {
                    out.setNull(row);
                } else {
                    out.bools[row] = matches(a.bytes, a.offsets[row], a.offsets[row + 1], compiled);
                }
            }
            return out;
        });
    }

    /**
     * Wildcard match with one backtrack point (the last {@code %} seen): linear for most patterns, O(n*m) at worst.
     */
    static boolean matches(final byte[] s, final int from, final int to, final int[] p) {
        int i = from;
        int j = 0;
        int starJ = -1;
        int starI = -1;
        while (i < to) {
            if (j < p.length && p[j] == ANY_ONE) {
                i = nextChar(s, i, to);
                j++;
            } else if (j < p.length && p[j] == ANY_RUN) {
                starJ = j++;
                starI = i;
            } else if (j < p.length && p[j] == (s[i] & 0xFF)) {
                i++;
                j++;
            } else if (starJ >= 0) {
                starI = nextChar(s, starI, to);
                i = starI;
                j = starJ + 1;
            } else {
                return false;
            }
        }
        while (j < p.length && p[j] == ANY_RUN) {
            j++;
        }
        return j == p.length;
    }

    /** Index after the UTF-8 sequence starting at {@code i}. */
    private static int nextChar(final byte[] s, final int i, final int to) {
        int k = i + 1;
        while (k < to && (s[k] & 0xC0) == 0x80) {
            k++;
        }
        return k;
    }

    @Override
    public <R> R accept(final ExprVisitor<R> visitor) {
        return visitor.like(input, pattern, escape);
    }

    @Override
    public String toString() {
        return "(" + input + " LIKE '" + pattern + "'" + (escape == null ? "" : " ESCAPE '" + escape + "'") + ")";
    }
}
