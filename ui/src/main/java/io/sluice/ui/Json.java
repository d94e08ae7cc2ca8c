package io.sluice.ui;

import java.util.Locale;

/**
 * A minimal streaming JSON writer over a {@link StringBuilder}: objects, arrays, strings, integers and finite
 * doubles (non-finite doubles are written as {@code null}, as JSON has no infinity). Commas are placed by the
 * writer; the caller only nests {@code begin}/{@code end} calls correctly. Not thread-safe.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(1024);
    /** Whether the current container already holds an element (bit per nesting level, up to 64 levels). */
    private long hasElement;
    private int depth;

    Json beginObject() {
        separate();
        out.append('{');
        push();
        return this;
    }

    Json endObject() {
        pop();
        out.append('}');
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        push();
        return this;
    }

    Json endArray() {
        pop();
        out.append(']');
        return this;
    }

    /** Starts a member of the current object: its name; the value follows. */
    Json name(final String name) {
        separate();
        string(name);
        out.append(':');
        // The value that follows must not get a comma of its own.
        hasElement &= ~(1L << depth);
        return this;
    }

    Json value(final long v) {
        separate();
        out.append(v);
        return this;
    }

    Json value(final double v) {
        separate();
        if (Double.isFinite(v)) {
            // Double.toString is a valid JSON number for every finite value (e.g. 1.5E-4).
            out.append(v);
        } else {
            out.append("null");
        }
        return this;
    }

    Json value(final boolean v) {
        separate();
        out.append(v);
        return this;
    }

    Json value(final String v) {
        separate();
        if (v == null) {
            out.append("null");
        } else {
            string(v);
        }
        return this;
    }

    Json field(final String name, final long v) {
        return name(name).value(v);
    }

    Json field(final String name, final double v) {
        return name(name).value(v);
    }

    Json field(final String name, final boolean v) {
        return name(name).value(v);
    }

    Json field(final String name, final String v) {
        return name(name).value(v);
    }

    private void separate() {
        if (depth > 0) {
            final long bit = 1L << depth;
            if ((hasElement & bit) != 0) {
                out.append(',');
            }
            hasElement |= bit;
        }
    }

    private void push() {
        depth++;
        if (depth >= 64) {
            throw new IllegalStateException("JSON nesting depth=" + depth + " exceeds 63");
        }
        hasElement &= ~(1L << depth);
    }

    private void pop() {
        if (depth == 0) {
            throw new IllegalStateException("JSON end without begin");
        }
        depth--;
    }

    private void string(final String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        if (depth != 0) {
            throw new IllegalStateException("JSON incomplete: depth=" + depth);
        }
        return out.toString();
    }
}
