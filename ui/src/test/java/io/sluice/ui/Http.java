package io.sluice.ui;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.json.Json;

/** Plain blocking HTTP for the tests (HttpURLConnection starts no threads of its own). */
final class Http {
    /** A response: status, body, content type. */
    record Response(int status, String body, String contentType) {
    }

    private Http() {
    }

    static Response request(final URI base, final String method, final String path) throws IOException {
        final HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        try {
            final int status = c.getResponseCode();
            final InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            final String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, body, c.getContentType());
        } finally {
            c.disconnect();
        }
    }

    static Response get(final URI base, final String path) throws IOException {
        return request(base, "GET", path);
    }

    /** GETs {@code path}, checks 200 and returns the parsed JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(final URI base, final String path) throws IOException {
        final Response r = get(base, path);
        if (r.status() != 200) {
            throw new AssertionError(path + ": HTTP " + r.status() + " " + r.body());
        }
        return new Json().toType(r.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(final Map<String, Object> json, final String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Map<String, Object> json, final String key) {
        return (Map<String, Object>) json.get(key);
    }

    static double num(final Object value) {
        return ((Number) value).doubleValue();
    }
}
