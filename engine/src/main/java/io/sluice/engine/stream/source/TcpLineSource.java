package io.sluice.engine.stream.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads UTF-8 text lines from a TCP server (a push source with one thread, {@code sluice-stream-tcp-<name>}):
 * each line becomes a row of the {@code line} UTF8 column. The source survives the peer going away: on end of
 * stream or an I/O error it reconnects, backing off exponentially from {@code minBackoff} to {@code maxBackoff}
 * (reset by a successful connection). A line that is not valid UTF-8 or longer than {@code maxLineBytes} is
 * counted and skipped with a WARN naming the source; a last line without newline is kept on a clean close and
 * counted as rejected after a connection error. Lines are stored as a block when {@code blockRows} are ready or
 * the socket has nothing more to read; a full stream budget blocks this thread, which stops reading, so TCP flow
 * control pushes back on the peer.
 */
public final class TcpLineSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLineSource.class);
    private static final int READ_BUFFER_BYTES = 64 << 10;

    private final String name;
    private final String host;
    private final int port;
    private final int maxLineBytes;
    private final int blockRows;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final int connectTimeoutMillis;
    private final RejectCounter rejects;
    private final AtomicLong connections = new AtomicLong();
    private final Object socketLock = new Object();
    private Socket socket;
    private Thread thread;
    private LineAssembler assembler;
    private volatile boolean stopped;

    private TcpLineSource(final Builder builder) {
        this.name = builder.name;
        this.host = builder.host;
        this.port = builder.port;
        this.maxLineBytes = builder.maxLineBytes;
        this.blockRows = builder.blockRows;
        this.minBackoffNanos = builder.minBackoff.toNanos();
        this.maxBackoffNanos = builder.maxBackoff.toNanos();
        this.connectTimeoutMillis = (int) builder.connectTimeout.toMillis();
        this.rejects = new RejectCounter(LOG, name);
    }

    /** A builder for a source reading from {@code host:port}. */
    public static Builder builder(final String name, final String host, final int port) {
        return new Builder(name, host, port);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return LineAssembler.LINES;
    }

    @Override
    public synchronized void start(final SourceContext context) {
        if (thread != null) {
            throw new IllegalStateException("TCP source '" + name + "' already started");
        }
        assembler = new LineAssembler(context.allocator(), maxLineBytes, Math.min(blockRows, 1024), rejects);
        thread = new Thread(() -> receiveOrFail(context), "sluice-stream-tcp-" + name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, error) -> context.fail(error));
        thread.start();
    }

    /** The receiver thread: recoverable problems reconnect; anything else fails the stream, never ends silently. */
    private void receiveOrFail(final SourceContext context) {
        try {
            receive(context);
        } catch (final Throwable ex) {
            LOG.error("source '{}': receiver failed; the stream stops", name, ex);
            context.fail(ex);
        }
    }

    private void receive(final SourceContext context) {
        long backoff = minBackoffNanos;
        while (!stopped && !context.isStopping()) {
            final Socket connected = new Socket();
            try {
                synchronized (socketLock) {
                    if (stopped) {
                        connected.close();
                        break;
                    }
                    socket = connected;
                }
                connected.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
                connections.incrementAndGet();
                backoff = minBackoffNanos;
                LOG.info("source '{}' connected to {}:{}", name, host, port);
                assembler.beginInput(host + ":" + port);
                read(context, connected.getInputStream());
                assembler.endInput(true);
                flush(context);
                LOG.info("source '{}': peer {}:{} closed the connection; reconnecting", name, host, port);
            } catch (final IOException ex) {
                if (stopped) {
                    break;
                }
                assembler.endInput(false);
                flush(context);
                LOG.warn("source '{}' cannot read from {}:{} ({}); retrying in {} ms", name, host, port, ex.toString(),
                    backoff / 1_000_000);
                context.reportError("connection to " + host + ":" + port, ex);
            } catch (final RuntimeException ex) {
                // E.g. the allocator's limit: the rest of this connection's input is lost, the receiver goes on.
                if (stopped) {
                    break;
                }
                LOG.warn("source '{}' failed receiving from {}:{} ({}); reconnecting in {} ms", name, host, port, ex.toString(),
                    backoff / 1_000_000);
                context.reportError("receiving from " + host + ":" + port, ex);
                assembler.endInput(false);
                final int lost = assembler.rows();
                assembler.close();
                if (lost > 0) {
                    rejects.reject(lost, host + ":" + port + " lines=" + lost + " dropped with their block: " + ex);
                }
            } finally {
                closeQuietly(connected);
            }
            if (stopped) {
                break;
            }
            try {
                Thread.sleep(backoff / 1_000_000, (int) (backoff % 1_000_000));
            } catch (final InterruptedException ex) {
                break;
            }
            backoff = Math.min(maxBackoffNanos, backoff * 2);
        }
    }

    private void read(final SourceContext context, final InputStream in) throws IOException {
        final byte[] buffer = new byte[READ_BUFFER_BYTES];
        while (!stopped) {
            final int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            assembler.accept(buffer, 0, n);
            if (assembler.rows() >= blockRows || in.available() == 0) {
                flush(context);
            }
        }
    }

    private void flush(final SourceContext context) {
        final Batch block = assembler.takeBlock();
        if (block != null && !context.store(block)) {
            LOG.debug("source '{}' dropped a block of rows={}: the stream is stopping", name, block.rowCount());
            block.release();
        }
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException ex) {
            LOG.debug("closing socket failed", ex);
        }
    }

    /** Connections made so far (reconnections included). */
    public long connections() {
        return connections.get();
    }

    /** Closes the connection and ends the receiving thread. */
    @Override
    public void stop() {
        final Thread receiver;
        synchronized (socketLock) {
            stopped = true;
            if (socket != null) {
                closeQuietly(socket);
            }
        }
        synchronized (this) {
            receiver = thread;
        }
        if (receiver != null) {
            receiver.interrupt();
            boolean interrupted = false;
            while (receiver.isAlive()) {
                try {
                    receiver.join();
                } catch (final InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (assembler != null) {
            assembler.close();
        }
    }

    @Override
    public long rejectedRecords() {
        return rejects.count();
    }

    /** Builds a {@link TcpLineSource}. */
    public static final class Builder {
        private final String name;
        private final String host;
        private final int port;
        private int maxLineBytes = 64 << 10;
        private int blockRows = 4096;
        private Duration minBackoff = Duration.ofMillis(10);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Duration connectTimeout = Duration.ofSeconds(1);

        private Builder(final String name, final String host, final int port) {
            this.name = Objects.requireNonNull(name, "name");
            this.host = Objects.requireNonNull(host, "host");
            if (port <= 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("TCP source '" + name + "' port=" + port + " out of range [1, 65535]");
            }
            this.port = port;
        }

        /** Longest line kept, in bytes (default 64 KiB). */
        public Builder maxLineBytes(final int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxLineBytes=" + value + " must be > 0");
            }
            this.maxLineBytes = value;
            return this;
        }

        /** Lines per stored block at most (default 4096). */
        public Builder blockRows(final int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("blockRows=" + value + " must be > 0");
            }
            this.blockRows = value;
            return this;
        }

        /** Reconnection backoff, doubling from {@code min} to {@code max} (default 10 ms to 1 s). */
        public Builder reconnectBackoff(final Duration min, final Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect backoff min=" + min + " max=" + max + ": need 0 < min <= max");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        public Builder connectTimeout(final Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("connect timeout=" + value + " must be > 0");
            }
            this.connectTimeout = value;
            return this;
        }

        public TcpLineSource build() {
            return new TcpLineSource(this);
        }
    }
}
