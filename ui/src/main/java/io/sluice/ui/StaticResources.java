package io.sluice.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, read once from the jar: the dashboard's own (next to this class) and uPlot from its webjar. Only
 * the names listed here are served, so no request path ever reaches the class path.
 */
final class StaticResources {
    /** A file: its bytes and content type. */
    record Resource(byte[] bytes, String contentType) {
    }

    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private final Map<String, Resource> files;

    StaticResources() {
        final String uplot = WEBJAR + uplotVersion() + "/dist/";
        files = Map.of(
            "/", own("index.html", "text/html; charset=utf-8"),
            "/static/app.js", own("app.js", "text/javascript; charset=utf-8"),
            "/static/app.css", own("app.css", "text/css; charset=utf-8"),
            "/static/uPlot.iife.min.js", load(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/static/uPlot.min.css", load(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    /** The resource at {@code path}, or null. */
    Resource get(final String path) {
        return files.get(path);
    }

    private static String uplotVersion() {
        final Properties props = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            props.load(in);
        } catch (final IOException ex) {
            throw new UncheckedIOException("reading the uPlot webjar's pom.properties failed", ex);
        }
        return props.getProperty("version");
    }

    private static Resource own(final String name, final String type) {
        return load("io/sluice/ui/" + name, type);
    }

    private static Resource load(final String path, final String type) {
        try (InputStream in = resource(path)) {
            return new Resource(in.readAllBytes(), type);
        } catch (final IOException ex) {
            throw new UncheckedIOException("reading resource '" + path + "' failed", ex);
        }
    }

    private static InputStream resource(final String path) {
        final InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("resource '" + path + "' missing from the class path (is the uPlot webjar there?)");
        }
        return in;
    }
}
