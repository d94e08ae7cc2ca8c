package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --background-load N}: N CPU-bound threads in another process for as long as a measurement runs, so a loaded
 * machine (an application sharing its cores with Sluice) is reproducible instead of whatever else happened to run.
 * {@link #start} launches {@code java -cp <this classpath> io.sluice.bench.BackgroundLoad N}; the child spins until
 * its standard input closes, so it also ends when the parent dies. {@link #close} ends it and waits for it.
 */
public final class BackgroundLoad implements AutoCloseable {
    private static final long STOP_TIMEOUT_SECONDS = 10;

    @SuppressWarnings("unused") // written so the spin loop has an effect
    private static volatile long sink;

    private final int threads;
    private final Process process;
    private final long startedNanos;
    private Duration cpu = Duration.ZERO;
    private Duration wall = Duration.ZERO;

    private BackgroundLoad(final int threads, final Process process) {
        this.threads = threads;
        this.process = process;
        this.startedNanos = System.nanoTime();
    }

    /** Starts {@code threads} spinning threads in a child JVM; {@code threads} must be at least 1. */
    public static BackgroundLoad start(final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("background load threads=" + threads + " must be >= 1");
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BackgroundLoad.class.getName());
        command.add(Integer.toString(threads));
        try {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            return new BackgroundLoad(threads, process);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot start the background load process: " + command, ex);
        }
    }

    /** Threads spinning in the child. */
    public int threads() {
        return threads;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** CPU time the child used, as measured at {@link #close} (zero before). */
    public Duration cpu() {
        return cpu;
    }

    /** Wall time from {@link #start} to {@link #close} (zero before). */
    public Duration wall() {
        return wall;
    }

    /** One line for a report: threads, pid, CPU time over wall time. */
    public String describe() {
        return threads + " CPU-bound thread(s) in another process (pid " + pid() + "): "
            + String.format(Locale.ROOT, "%.1f s CPU over %.1f s wall", cpu.toMillis() / 1e3,
                wall.toMillis() / 1e3);
    }

    /** Ends the child (closing its standard input, then destroying it if it lingers) and records its CPU time. */
    @Override
    public void close() {
        final boolean diedEarly = !process.isAlive();
        cpu = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        wall = Duration.ofNanos(System.nanoTime() - startedNanos);
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (final IOException ex) {
            process.destroyForcibly();
        } catch (final InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (diedEarly) {
            throw new IllegalStateException("background load process pid=" + pid() + " ended during the measurement"
                + " with exit code=" + process.exitValue() + ": the measurement was not under the load asked for");
        }
    }

    /** The child: {@code args[0]} spinning daemon threads until standard input reaches end of file. */
    public static void main(final String[] args) throws IOException {
        final int threads = Integer.parseInt(args[0]);
        for (int t = 0; t < threads; t++) {
            final Thread spinner = new Thread(BackgroundLoad::spin, "background-load-" + t);
            spinner.setDaemon(true);
            spinner.start();
        }
        final InputStream in = System.in;
        while (in.read() >= 0) {
            // the parent never writes; end of file (its close or death) ends the load
        }
    }

    /** A busy loop the JIT cannot remove: an xorshift whose state escapes to a volatile field now and then. */
    private static void spin() {
        long x = Thread.currentThread().getId() | 1;
        while (true) {
            for (int i = 0; i < 1 << 20; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            sink = x;
        }
    }
}
