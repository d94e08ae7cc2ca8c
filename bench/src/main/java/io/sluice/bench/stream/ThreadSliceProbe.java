package io.sluice.bench.stream;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.os.LatencyThreads;
import org.HdrHistogram.Histogram;

/**
 * How late a thread wakes at 1 ms boundaries with and without a short scheduler slice ({@link LatencyThreads}), in
 * alternating blocks of one run so both see the same load: each block's prober thread parks until the next
 * millisecond boundary, records how late it woke, then burns {@code work} microseconds of CPU (a job thread's batch);
 * a second thread burns CPU in 20 us bursts with 30 us parks (a producer). Run it beside busy loops to see the
 * slice's effect; the figures are the machine's, not Sluice's.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.sluice.bench.stream.ThreadSliceProbe SLICE_US BLOCKS BLOCK_MS WORK_US</pre>
 */
public final class ThreadSliceProbe {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SKIP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PRODUCER_BURST_NANOS = 20_000;
    private static final long PRODUCER_PARK_NANOS = 30_000;
    private static volatile long sink;
    private static volatile boolean stopped;

    private ThreadSliceProbe() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ThreadSliceProbe SLICE_US BLOCKS BLOCK_MS WORK_US (got " + args.length
                + " arguments)");
        }
        final long sliceNanos = LatencyThreads.checkSliceOrZero(Long.parseLong(args[0]) * 1000, "SLICE_US x 1000");
        final int blocks = Integer.parseInt(args[1]);
        final long blockNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        final long workNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[3]));
        final Thread producer = new Thread(() -> {
            while (!stopped) {
                burn(PRODUCER_BURST_NANOS);
                LockSupport.parkNanos(PRODUCER_PARK_NANOS);
            }
        }, "probe-producer");
        producer.setDaemon(true);
        producer.start();
        final Histogram with = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram without = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        boolean granted = true;
        for (int b = 0; b < blocks; b++) {
            final boolean sliced = b % 2 == 0;
            final boolean[] ok = {true};
            final Histogram into = sliced ? with : without;
            final Thread prober = new Thread(() -> {
                if (sliced) {
                    ok[0] = LatencyThreads.requestSlice(sliceNanos);
                }
                probe(into, blockNanos, workNanos);
            }, "probe");
            prober.start();
            prober.join();
            granted &= ok[0];
        }
        stopped = true;
        producer.join();
        System.out.printf(Locale.ROOT, "slice %d us (granted: %s), %d blocks of %d ms, %d us of work per wake%n",
            sliceNanos / 1000, granted, blocks, blockNanos / 1_000_000, workNanos / 1000);
        print("slice " + sliceNanos / 1000 + " us", with);
        print("kernel default", without);
    }

    private static void probe(final Histogram into, final long blockNanos, final long workNanos) {
        final long start = System.nanoTime();
        long next = (start / PERIOD_NANOS + 1) * PERIOD_NANOS;
        while (System.nanoTime() - start < blockNanos) {
            long now = System.nanoTime();
            while (now < next) {
                LockSupport.parkNanos(next - now);
                now = System.nanoTime();
            }
            if (now - start > SKIP_NANOS) {
                into.recordValue(Math.min(into.getHighestTrackableValue(), now - next));
            }
            burn(workNanos);
            next = (System.nanoTime() / PERIOD_NANOS + 1) * PERIOD_NANOS;
        }
    }

    private static void burn(final long nanos) {
        final long end = System.nanoTime() + nanos;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        sink += spins;
    }

    private static void print(final String label, final Histogram h) {
        System.out.printf(Locale.ROOT, "%-16s wakes %6d  p50 %7.0f us  p90 %7.0f us  p99 %7.0f us  p99.9 %7.0f us  max %8.0f us%n",
            label, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
