package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.sluice.engine.stream.Collector;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpLineSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    private static void awaitTrue(final BooleanSupplier condition, final Supplier<String> state) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + state.get());
            }
            Thread.sleep(2);
        }
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void survivesReconnectsAndSkipsOnlyMalformedAndOverlongLines() throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Collector collector = new Collector();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            final TcpLineSource source = TcpLineSource.builder("tcp", "127.0.0.1", server.getLocalPort()).maxLineBytes(16)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(20)).build();
            final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator)
                .clock(clock).build();
            final StreamInput input = context.input(source);
            context.foreachBatch(input, collector);
            context.start();
            try {
                serveTwoConnections(server, input, source);
                clock.advanceMillis(10);
                assertTrue(context.awaitBatchCompleted(10, WAIT));
            } finally {
                context.stop(true);
            }
            assertEquals(List.of("alpha", "beta", "gr\u00fc\u00df", "delta", "last-no-newline"), collector.all());
            assertEquals(2, source.rejectedRecords());
            assertTrue(source.connections() >= 2);
        }
    }

    /**
     * A RuntimeException in the receiver (here the allocator's limit, hit by the first line of every connection)
     * used to end the receiver thread for good, silently: no receiver error, no reconnect, the stream ran on empty.
     * Now each one is reported and the receiver reconnects.
     */
    @Test
    void receiverSurvivesRuntimeExceptionsAndReportsEach() throws Exception {
        final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        try (BufferAllocator tiny = new BufferAllocator(256)) {
            final Thread peer = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        accepted.incrementAndGet();
                        socket.getOutputStream().write(ascii("one line\n"));
                        socket.getOutputStream().flush();
                        socket.getInputStream().read();
                    } catch (final java.io.IOException closed) {
                        // the server closed, or the source dropped the connection: accept the next one
                    }
                }
            }, "test-peer");
            peer.start();
            final TcpLineSource source = TcpLineSource.builder("tcp", "127.0.0.1", server.getLocalPort())
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
            final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(tiny)
                .clock(new ManualStreamClock(0)).build();
            context.addListener(new StreamingListener() {
                @Override
                public void onReceiverError(final String sourceName, final String what, final Throwable error) {
                    errors.add(error);
                }
            });
            context.foreachBatch(context.input(source), (time, batch) -> { });
            context.start();
            try {
                awaitTrue(() -> errors.size() >= 3 && accepted.get() >= 3,
                    () -> "receiver errors=" + errors + " connections accepted=" + accepted.get());
                assertTrue(errors.get(0).getMessage().contains("limit"), String.valueOf(errors.get(0)));
                assertTrue(context.failure().isEmpty());
            } finally {
                context.stop(true);
                server.close();
                peer.join();
            }
            assertTrue(source.rejectedRecords() >= 3, "lost lines are counted: " + source.rejectedRecords());
        } finally {
            server.close();
        }
    }

    private static void serveTwoConnections(final ServerSocket server, final StreamInput input, final TcpLineSource source)
        throws Exception {
        final Supplier<String> state = () -> "received=" + input.receivedRecords() + " rejected=" + source.rejectedRecords()
            + " connections=" + source.connections();
        try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
            final ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.write(ascii("alpha\r\nbeta\n"));
            first.write(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
            first.write(ascii("x".repeat(100) + "\n"));
            first.write("gr\u00fc\u00df\n".getBytes(StandardCharsets.UTF_8));
            final byte[] bytes = first.toByteArray();
            out.write(bytes, 0, 7);
            out.flush();
            awaitTrue(() -> input.receivedRecords() == 1, state);
            out.write(bytes, 7, bytes.length - 7);
            out.flush();
            awaitTrue(() -> input.receivedRecords() == 3, state);
        }
        try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
            out.write(ascii("delta\nlast-no-newline"));
            out.flush();
        }
        awaitTrue(() -> input.receivedRecords() == 5, state);
    }

    @Test
    void keepsRetryingWhileNoServerListensAndStopsPromptly() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        final TcpLineSource source = TcpLineSource.builder("down", "127.0.0.1", port)
            .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        final int[] errors = new int[1];
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator)
            .clock(new ManualStreamClock(0)).build();
        context.input(source);
        context.addListener(new StreamingListener() {
            @Override
            public void onReceiverError(final String sourceName, final String what, final Throwable error) {
                synchronized (errors) {
                    errors[0]++;
                }
            }
        });
        context.start();
        awaitTrue(() -> {
            synchronized (errors) {
                return errors[0] >= 3;
            }
        }, () -> "three failed connection attempts");
        context.stop(false);
        assertEquals(0, source.connections());
    }
}
