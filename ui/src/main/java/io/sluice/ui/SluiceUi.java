package io.sluice.ui;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.StreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live dashboard of a running Sluice context on the JDK's built-in HTTP server: the page at {@code /}, JSON at
 * {@code /api/summary}, {@code /api/batches?since=&limit=} and {@code /api/timeline?stages=}, Prometheus text at
 * {@code /metrics}. Binds to 127.0.0.1 unless {@link Builder#bindAddress} says otherwise; port 0 picks a free one.
 *
 * <p>It listens to the contexts ({@code StreamingListener}, {@code SchedulerListener}) and serves what those
 * listeners published: a request never blocks a worker or the job thread. One HTTP thread serves requests in turn.
 * Closing the execution context (or stopping the streaming context) closes the dashboard; {@link #close()} does it
 * directly. Either way the server's threads have ended when it returns.
 */
public final class SluiceUi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceUi.class);
    private static final int MAX_STAGES = TimelineCollector.STAGES;

    private final HttpServer server;
    private final ExecutorService http;
    private final Scheduler scheduler;
    private final StreamingContext streaming;
    private final StreamCollector stream;
    private final TimelineCollector timeline;
    private final DashboardJson json;
    private final PrometheusMetrics metrics;
    private final StaticResources resources = new StaticResources();
    private final Object lifecycle = new Object();
    /** The HTTP threads made so far: close joins them, since an executor reports termination before they exit. */
    private final List<Thread> httpThreads = new CopyOnWriteArrayList<>();
    private boolean closed;

    private SluiceUi(final Builder b) throws IOException {
        this.streaming = b.streaming;
        this.stream = streaming == null ? null : new StreamCollector(streaming, b.operators);
        this.scheduler = b.scheduler;
        this.timeline = scheduler == null ? null : new TimelineCollector(scheduler.config().workers()
            + (scheduler.config().callerRuns() ? 1 : 0));
        this.json = new DashboardJson(stream, timeline, scheduler == null ? null : scheduler.config());
        this.metrics = new PrometheusMetrics(stream, timeline);
        this.server = HttpServer.create(new InetSocketAddress(b.bindAddress, b.port), 16);
        final String name = "sluice-ui-http-" + server.getAddress().getPort();
        this.http = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            httpThreads.add(t);
            return t;
        });
        server.setExecutor(http);
        server.createContext("/", this::handle);
        if (timeline != null) {
            scheduler.addListener(timeline);
        }
        if (stream != null) {
            streaming.addListener(stream);
        }
        server.start();
        LOG.info("dashboard at {}", uri());
    }

    /** A dashboard of a DStream graph: its streaming context's batches and its execution context's tasks. */
    public static SluiceUi start(final DStreamGraph graph, final int port) {
        return builder().streaming(graph.streamingContext()).operators(graph.checkpointedOperators())
            .execution(graph.executionContext()).port(port).start();
    }

    /** A dashboard of an execution context's stages and tasks (batch jobs). */
    public static SluiceUi start(final ExecutionContext exec, final int port) {
        return builder().execution(exec).port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:4040/}. */
    public URI uri() {
        final InetSocketAddress address = server.getAddress();
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    /** Stops listening to the contexts and stops the server; waits for its threads to end. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (timeline != null) {
            scheduler.removeListener(timeline);
        }
        if (stream != null) {
            streaming.removeListener(stream);
        }
        server.stop(0);
        http.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (http.awaitTermination(10, TimeUnit.SECONDS)) {
                    for (final Thread t : httpThreads) {
                        t.join();
                    }
                    break;
                }
                LOG.warn("dashboard HTTP thread still running 10 s after close; waiting");
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(final HttpExchange exchange) {
        try (exchange) {
            try {
                route(exchange);
            } catch (final Query.BadRequest ex) {
                respond(exchange, ex.status(), "text/plain; charset=utf-8", (ex.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (final RuntimeException ex) {
                LOG.error("dashboard request {} failed", exchange.getRequestURI(), ex);
                respond(exchange, 500, "text/plain; charset=utf-8", ("internal error: " + ex + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (final IOException | UncheckedIOException ex) {
            // The client went away mid-response: nothing to tell it.
            LOG.debug("dashboard response to {} not delivered", exchange.getRequestURI(), ex);
        }
    }

    private void route(final HttpExchange exchange) throws IOException {
        final String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new Query.BadRequest(405, "method " + method + " not allowed; use GET");
        }
        final String path = exchange.getRequestURI().getRawPath();
        final String query = exchange.getRequestURI().getRawQuery();
        switch (path) {
            case "/api/summary" -> {
                Query.parse(query, Set.of());
                respondJson(exchange, json.summary());
            }
            case "/api/batches" -> {
                final Query q = Query.parse(query, Set.of("since", "limit"));
                final long since = q.longParam("since", 0, Long.MAX_VALUE, 0);
                final int limit = (int) q.longParam("limit", 1, StreamCollector.CAPACITY, StreamCollector.CAPACITY);
                respondJson(exchange, json.batches(since, limit));
            }
            case "/api/timeline" -> {
                final Query q = Query.parse(query, Set.of("stages"));
                respondJson(exchange, json.timeline((int) q.longParam("stages", 1, MAX_STAGES, 4)));
            }
            case "/metrics" -> {
                Query.parse(query, Set.of());
                respond(exchange, 200, metrics.contentType(), metrics.scrape());
            }
            default -> {
                final StaticResources.Resource file = resources.get(path);
                if (file == null) {
                    throw new Query.BadRequest(404, "no such path '" + path
                        + "'; the dashboard is at /, JSON under /api/, metrics at /metrics");
                }
                if (query != null) {
                    Query.parse(query, Set.of());
                }
                respond(exchange, 200, file.contentType(), file.bytes());
            }
        }
    }

    private static void respondJson(final HttpExchange exchange, final String body) throws IOException {
        respond(exchange, 200, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Builds a {@link SluiceUi}; at least one of a streaming context and a scheduler is required. */
    public static final class Builder {
        private StreamingContext streaming;
        private List<Checkpointed> operators = List.of();
        private Scheduler scheduler;
        private ExecutionContext execution;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 4040;

        private Builder() {
        }

        /** The streaming context whose micro-batches to show. */
        public Builder streaming(final StreamingContext value) {
            this.streaming = Objects.requireNonNull(value, "streaming");
            return this;
        }

        /** Stateful operators whose keyed-state size to show (e.g. {@link DStreamGraph#checkpointedOperators()}). */
        public Builder operators(final List<Checkpointed> value) {
            this.operators = List.copyOf(value);
            return this;
        }

        /** The execution context whose stages and tasks to show; closing it closes the dashboard. */
        public Builder execution(final ExecutionContext value) {
            this.execution = Objects.requireNonNull(value, "execution");
            this.scheduler = value.scheduler();
            return this;
        }

        /** A scheduler whose stages and tasks to show (the caller closes the dashboard). */
        public Builder scheduler(final Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** The address to listen on: loopback by default; anything else exposes the dashboard to the network. */
        public Builder bindAddress(final InetAddress value) {
            this.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /** The port, in [0, 65535]; 0 picks a free one. Default 4040. */
        public Builder port(final int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port=" + value + " out of range [0, 65535]");
            }
            this.port = value;
            return this;
        }

        /** Starts the server; throws {@link UncheckedIOException} naming the address if it cannot listen. */
        public SluiceUi start() {
            if (streaming == null && scheduler == null) {
                throw new IllegalStateException("nothing to show: give a streaming context, an execution context or a scheduler");
            }
            final SluiceUi ui;
            try {
                ui = new SluiceUi(this);
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port, ex);
            }
            try {
                if (execution != null) {
                    execution.onClose(ui::close);
                }
                if (streaming != null) {
                    streaming.onStop(ui::close);
                }
            } catch (final IllegalStateException ex) {
                // The context is already closed or stopping: nothing would stop the dashboard, so do not leave it up.
                ui.close();
                throw ex;
            }
            return ui;
        }
    }
}
