package io.sluice.engine.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The line server a {@link Soak} run's {@code TcpLineSource} reads from: numbered lines
 * ({@code <run>:<seq>:<payload>}, the payload's length and letter derived from the sequence number, so a split,
 * joined or corrupted line does not parse as {@link #valid}), sent in small bursts, and a dropped connection after a
 * seeded random number of lines: half the drops are a clean close after a whole line, half a reset (SO_LINGER 0)
 * right after half a line. After {@link #finish()} it drops no more. One thread, {@code soak-line-server}, ended by
 * {@link #close()}.
 */
final class SoakLineServer {
    private static final int MAX_LINES_PER_CONNECTION = 3000;
    private static final int MAX_BURST = 16;
    private static final long BURST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long run;
    private final Random random;
    private final ServerSocket server;
    private final Thread thread;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean finishing;
    private volatile boolean stopped;
    private volatile Throwable failure;

    SoakLineServer(final long run, final long seed) throws IOException {
        this.run = run;
        this.random = new Random(seed);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(100);
        thread = new Thread(this::serve, "soak-line-server");
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    static String line(final long run, final long seq) {
        return run + ":" + seq + ":" + String.valueOf((char) ('a' + seq % 26)).repeat((int) (seq % 40) + 1);
    }

    /** The sequence number of a whole line of {@code run}, -1 for a valid line of an earlier run; throws on any other. */
    static long valid(final long run, final String line) {
        final String[] parts = line.split(":", -1);
        if (parts.length == 3) {
            try {
                final long lineRun = Long.parseLong(parts[0]);
                final long seq = Long.parseLong(parts[1]);
                if (seq >= 0 && line.equals(line(lineRun, seq))) {
                    return lineRun == run ? seq : -1;
                }
            } catch (final NumberFormatException ex) {
                // reported below with the line
            }
        }
        throw new IllegalStateException("TCP line corrupted or split: '" + line + "'");
    }

    private void serve() {
        try {
            while (!stopped) {
                final Socket socket;
                try {
                    socket = server.accept();
                } catch (final SocketTimeoutException ex) {
                    continue;
                }
                accepted.incrementAndGet();
                try (socket) {
                    send(socket);
                } catch (final IOException ex) {
                    // the receiver closed the connection (the stream stopping): serve the next one
                }
            }
        } catch (final Throwable ex) {
            failure = ex;
        }
    }

    private void send(final Socket socket) throws IOException {
        final OutputStream out = socket.getOutputStream();
        final int lines = 1 + random.nextInt(MAX_LINES_PER_CONNECTION);
        int left = lines;
        while (!stopped && (finishing || left > 0)) {
            final StringBuilder burst = new StringBuilder();
            for (int i = 1 + random.nextInt(MAX_BURST); i > 0 && (finishing || left > 0); i--, left--) {
                burst.append(line(run, sent.getAndIncrement())).append('\n');
            }
            out.write(burst.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            LockSupport.parkNanos(BURST_PAUSE_NANOS);
        }
        if (stopped) {
            return;
        }
        drops.incrementAndGet();
        if (random.nextBoolean()) {
            final String half = line(run, sent.getAndIncrement());
            out.write(half.substring(0, half.length() / 2).getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.setSoLinger(true, 0);
        }
    }

    /** Drops no more connections from now on. */
    void finish() {
        finishing = true;
    }

    long accepted() {
        return accepted.get();
    }

    long drops() {
        return drops.get();
    }

    long sent() {
        return sent.get();
    }

    void close() throws IOException, InterruptedException {
        stopped = true;
        thread.join();
        server.close();
        if (failure != null) {
            throw new IllegalStateException("soak line server failed", failure);
        }
    }
}
