import io.sluice.bench.*;
import io.sluice.bench.harness.*;
import io.sluice.engine.sched.*;
import java.io.IOException;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/**
 * Work stealing pools that differ only in their workers' timer slack, taking turns (order rotating) on the same
 * sweep cells in one JVM. Per cell and slack: the median makespan over the fluid bound, attempts per stage, CPU time
 * of the running pool's workers per stage and context switches of the JVM's threads per stage (voluntary +
 * involuntary, from /proc/self/task/N/status); then each slack's geometric mean ratio to the last one listed.
 * Usage: SlackPairs.java REPS SLACKS CELL... [park50]. SLACKS: comma-separated nanos, 0 = the inherited OS
 * default (e.g. 1000,0). CELL = skew,tasks,slowCount x factor,failureRate (zipf:1,16,1x2,0). park50: idle workers
 * back off as the engine's default (parks from 50 us to 1 ms) instead of the benchmarks' quick wake (1 us to
 * 100 us).
 */
public class SlackPairs {
  public static void main(String[] a) throws Exception {
    int reps = Integer.parseInt(a[0]);
    long[] slacks = Arrays.stream(a[1].split(",")).mapToLong(Long::parseLong).toArray();
    boolean park50 = a[a.length - 1].equals("park50");
    int cellsEnd = park50 ? a.length - 1 : a.length;
    int k = slacks.length;
    double[][] logs = new double[k][3];
    int cells = 0;
    for (int i = 2; i < cellsEnd; i++) {
      String[] f = a[i].split(",");
      String[] sl = f[2].split("x");
      Workload w = WorkloadGenerator.generate(Integer.parseInt(f[1]), Skew.parse(f[0]), 1_000_000L, 8,
          Integer.parseInt(sl[0]), Double.parseDouble(sl[1]), Double.parseDouble(f[3]), 42);
      MorselJob job = MorselJob.of(w);
      TaskCost cost = TaskCost.sleep();
      double lb = job.lowerBoundNanos();
      List<ContenderPool> pools = new ArrayList<>();
      List<AtomicInteger> counts = new ArrayList<>();
      List<List<double[]>> obs = new ArrayList<>();
      for (long slack : slacks) {
        ContenderPool p = ContenderPool.open("pool" + pools.size(), Contender.WORK_STEALING, 8, b -> {
          b.minMorselRows(job.minMorselRows()).seed(42).callerRuns(false).timerSlackNanos(slack);
          return park50 ? b.idle(IdlePolicy.backoff()) : b;
        });
        AtomicInteger n = new AtomicInteger();
        p.scheduler().addListener(new SchedulerListener() {
          public void onTaskAttempt(Stage<?> s, int task, int att, int wk, long s0, long e0, int fl) { n.incrementAndGet(); }
        });
        pools.add(p); counts.add(n); obs.add(new ArrayList<>());
      }
      var stage = job.stage(cost);
      for (int r = 0; r <= reps; r++) {
        for (int j = 0; j < k; j++) {
          int idx = (j + r) % k;
          counts.get(idx).set(0);
          String own = "sluice-worker-pool" + idx + "-";
          long switches = switches();
          Map<Long, Long> before = ThreadCpu.snapshot(n -> n.startsWith(own));
          RunRecord rec = pools.get(idx).run(job, stage, cost, r + 1);
          long cpu = ThreadCpu.delta(before, ThreadCpu.snapshot(n -> n.startsWith(own)));
          switches = switches() - switches;
          if (r > 0) obs.get(idx).add(new double[] {rec.makespanNanos() / lb, counts.get(idx).get(), cpu / 1e6, switches});
        }
      }
      for (ContenderPool p : pools) p.close();
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s LB %4.2f ms", a[i], lb / 1e6));
      double[][] med = new double[k][4];
      for (int j = 0; j < k; j++) {
        for (int m = 0; m < 4; m++) {
          final int mm = m;
          double[] v = obs.get(j).stream().mapToDouble(o -> o[mm]).sorted().toArray();
          med[j][m] = v[v.length / 2];
        }
        sb.append(String.format(Locale.ROOT, " | slack %s: x%.3f att %.0f cpu %.2f ms sw %.0f", label(slacks[j]),
            med[j][0], med[j][1], med[j][2], med[j][3]));
      }
      for (int j = 0; j < k; j++) {
        logs[j][0] += Math.log(med[j][0] / med[k - 1][0]);
        logs[j][1] += Math.log(med[j][2] / med[k - 1][2]);
        logs[j][2] += Math.log(med[j][3] / med[k - 1][3]);
      }
      cells++;
      System.out.println(sb);
    }
    for (int j = 0; j < k - 1; j++) {
      System.out.printf(Locale.ROOT, "geometric mean over %d cells, slack %s / slack %s: makespan %.3f, worker CPU per stage %.3f, context switches %.3f%n",
          cells, label(slacks[j]), label(slacks[k - 1]), Math.exp(logs[j][0] / cells), Math.exp(logs[j][1] / cells), Math.exp(logs[j][2] / cells));
    }
  }

  static String label(long slack) {
    return slack <= 0 ? "OS" : slack + "ns";
  }

  /** Context switches (voluntary + involuntary) of every thread of this JVM so far. */
  static long switches() throws IOException {
    long n = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.contains("ctxt_switches:")) n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        } catch (IOException gone) {
          // a thread that ended meanwhile
        }
      }
    }
    return n;
  }
}
