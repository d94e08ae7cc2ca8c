package io.sluice.spark;

/**
 * A Sluice LIKE pattern ({@code Expr.like}: {@code %} any run, {@code _} one character, an optional escape character
 * that makes the next character literal, no escape by default) as a Spark LIKE pattern with Spark's escape
 * character {@code \}. Both match case-sensitively, whole string, {@code _} one code point.
 */
final class LikePattern {
    private LikePattern() {
    }

    static String toSpark(final String pattern, final Character escape) {
        final StringBuilder out = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            final char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                if (i + 1 == pattern.length()) {
                    throw new IllegalArgumentException("LIKE pattern '" + pattern + "' ends with its escape character '" + escape + "'");
                }
                literal(pattern.charAt(++i), out);
            } else if (c == '%' || c == '_') {
                out.append(c);
            } else {
                literal(c, out);
            }
        }
        return out.toString();
    }

    private static void literal(final char c, final StringBuilder out) {
        if (c == '%' || c == '_' || c == '\\') {
            out.append('\\');
        }
        out.append(c);
    }
}
