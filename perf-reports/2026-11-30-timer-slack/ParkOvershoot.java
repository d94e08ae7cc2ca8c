import io.sluice.engine.sched.TimerSlack;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How late LockSupport.parkNanos(d) returns, d = 20 us .. 2 ms, on a fresh thread per slack that sets its own timer
 * slack first ({@link TimerSlack#trySetForCurrentThread}; 0 = keep the inherited one), and the thread's CPU time per
 * park. Usage: ParkOvershoot.java ROUNDS SLACK_NANOS... (e.g. 2 0 1 1000 10000).
 */
public class ParkOvershoot {
    public static void main(String[] a) throws Exception {
        long[] ds = {20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000};
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < Integer.parseInt(a[0]); round++) {
            for (int i = 1; i < a.length; i++) {
                long slack = Long.parseLong(a[i]);
                StringBuilder sb = new StringBuilder();
                Thread t = new Thread(() -> {
                    boolean set = TimerSlack.trySetForCurrentThread(slack);
                    sb.append(String.format("slack %s (set %b, reads %d ns)%n", slack <= 0 ? "OS" : slack + " ns", set, TimerSlack.currentThreadNanos()));
                    for (long d : ds) {
                        int n = d >= 1_000_000 ? 200 : 600;
                        long[] over = new long[n];
                        for (int k = 0; k < 50; k++) LockSupport.parkNanos(d);
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        for (int k = 0; k < n; k++) {
                            long t0 = System.nanoTime();
                            LockSupport.parkNanos(d);
                            over[k] = System.nanoTime() - t0 - d;
                        }
                        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                        Arrays.sort(over);
                        sb.append(String.format("  d=%5d us overshoot p10 %6.1f p50 %6.1f p90 %6.1f p99 %7.1f us, thread CPU per park %5.1f us%n",
                            d / 1000, over[n / 10] / 1e3, over[n / 2] / 1e3, over[n * 9 / 10] / 1e3, over[n * 99 / 100] / 1e3, cpu / 1e3 / n));
                    }
                });
                t.start();
                t.join();
                System.out.print(sb);
            }
        }
    }
}
