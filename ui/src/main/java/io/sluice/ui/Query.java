package io.sluice.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A request's query parameters, checked against what an endpoint accepts; bad input throws {@link BadRequest}. */
final class Query {
    private final Map<String, String> params;

    private Query(final Map<String, String> params) {
        this.params = params;
    }

    /** Parses {@code raw} (may be null) and rejects names outside {@code allowed} and repeated names. */
    static Query parse(final String raw, final Set<String> allowed) {
        final Map<String, String> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (final String pair : raw.split("&", -1)) {
                final int eq = pair.indexOf('=');
                final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!allowed.contains(name)) {
                    throw new BadRequest(400, "unknown query parameter '" + name + "'; accepted: " + String.join(", ", allowed));
                }
                if (params.put(name, value) != null) {
                    throw new BadRequest(400, "query parameter '" + name + "' given twice");
                }
            }
        }
        return new Query(params);
    }

    private static String decode(final String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException ex) {
            throw new BadRequest(400, "malformed query: " + ex.getMessage());
        }
    }

    /** The integer parameter {@code name} in {@code [min, max]}, or {@code fallback} when absent. */
    long longParam(final String name, final long min, final long max, final long fallback) {
        final String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        final long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (final NumberFormatException ex) {
            throw new BadRequest(400, name + "='" + value + "' must be an integer in [" + min + ", " + max + "]");
        }
        if (parsed < min || parsed > max) {
            throw new BadRequest(400, name + "=" + parsed + " out of range [" + min + ", " + max + "]");
        }
        return parsed;
    }

    /** A request the server refuses with {@code status} and a one-line reason. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadRequest(final int status, final String reason) {
            super(reason);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
