package io.sluice.bench.stream;

import java.time.Duration;

/**
 * The plain-Java baseline of a text job: the same work on the same lines (a {@code String[]}, on the heap), one
 * thread or a {@code parallelStream} on the common pool, repeated for a fixed time after a warm-up. No stream, no
 * batches: the ceiling the streaming job is compared with.
 */
public final class JavaBaseline {
    /** How the baseline runs. */
    public enum Mode {
        SINGLE_THREAD("java 1 thread"),
        PARALLEL_STREAM("java parallelStream");

        private final String label;

        Mode(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Records/s the mode reached and the checksum of its last pass (to compare with Sluice's). */
    public record Result(Mode mode, double recordsPerSecond, long checksum) {
    }

    private JavaBaseline() {
    }

    /** Runs {@code job} over {@code lines} repeatedly: {@code warmup} unmeasured, then at least {@code measure}. */
    public static Result measure(final TextJob job, final Mode mode, final String[] lines, final String needle,
                                 final Duration warmup, final Duration measure) {
        long checksum = 0;
        final long warmupEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmupEnd) {
            checksum = once(job, mode, lines, needle);
        }
        final long start = System.nanoTime();
        long passes = 0;
        long elapsed;
        do {
            checksum = once(job, mode, lines, needle);
            passes++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < measure.toNanos());
        return new Result(mode, passes * (double) lines.length * 1e9 / elapsed, checksum);
    }

    private static long once(final TextJob job, final Mode mode, final String[] lines, final String needle) {
        return mode == Mode.SINGLE_THREAD ? job.runJava(lines, needle) : job.runParallelStream(lines, needle);
    }
}
