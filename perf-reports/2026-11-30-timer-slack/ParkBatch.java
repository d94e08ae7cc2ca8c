import io.sluice.engine.sched.TimerSlack;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * T threads, each parking d over and over for a fixed time, all with the same timer slack (0 = the inherited one):
 * the threads' CPU time per park. Alternates the slack values given, ROUNDS times.
 * Usage: ParkBatch.java ROUNDS THREADS PARK_NANOS MILLIS SLACK_NANOS... (e.g. 3 8 100000 2000 0 1000).
 */
public class ParkBatch {
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]), threads = Integer.parseInt(a[1]);
        long d = Long.parseLong(a[2]), millis = Long.parseLong(a[3]);
        var mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int i = 4; i < a.length; i++) {
                long slack = Long.parseLong(a[i]);
                AtomicLong parks = new AtomicLong(), cpu = new AtomicLong();
                CountDownLatch done = new CountDownLatch(threads);
                long end = System.nanoTime() + millis * 1_000_000;
                for (int t = 0; t < threads; t++) {
                    new Thread(() -> {
                        TimerSlack.trySetForCurrentThread(slack);
                        long c0 = mx.getCurrentThreadCpuTime(), n = 0;
                        while (System.nanoTime() < end) {
                            LockSupport.parkNanos(d);
                            n++;
                        }
                        cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
                        parks.addAndGet(n);
                        done.countDown();
                    }).start();
                }
                done.await();
                System.out.printf("round %d slack %-7s threads %d park %d us: %d parks, CPU per park %.1f us, CPU %.0f ms over %d ms%n",
                    r + 1, slack <= 0 ? "OS" : slack + "ns", threads, d / 1000, parks.get(), cpu.get() / 1e3 / parks.get(), cpu.get() / 1e6, millis);
            }
        }
    }
}
