import io.sluice.bench.*;
import io.sluice.bench.harness.*;
import io.sluice.engine.sched.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/** Two contenders alternating on the same cells in one JVM: median makespan over the fluid bound and attempts. */
public class PairedCells {
  public static void main(String[] a) throws Exception {
    int reps = Integer.parseInt(a[0]);
    List<Contender> cs = new ArrayList<>();
    for (String s : a[1].split(",")) cs.add(Contender.parse(s));
    for (int i = 2; i < a.length; i++) {
      String[] k = a[i].split(",");
      String[] sl = k[2].split("x");
      Workload w = WorkloadGenerator.generate(Integer.parseInt(k[1]), Skew.parse(k[0]), 1_000_000L, 8, Integer.parseInt(sl[0]), Double.parseDouble(sl[1]), Double.parseDouble(k[3]), 42);
      MorselJob job = MorselJob.of(w);
      TaskCost cost = TaskCost.sleep();
      double lb = job.lowerBoundNanos();
      Map<Contender, List<Double>> xs = new LinkedHashMap<>();
      Map<Contender, List<Integer>> ats = new LinkedHashMap<>();
      List<ContenderPool> pools = new ArrayList<>();
      List<AtomicInteger> counts = new ArrayList<>();
      for (Contender c : cs) {
        ContenderPool p = ContenderPool.open("ab", c, 8, b -> b.minMorselRows(job.minMorselRows()).seed(42).callerRuns(false));
        AtomicInteger n = new AtomicInteger();
        p.scheduler().addListener(new SchedulerListener() {
          public void onTaskAttempt(Stage<?> s, int task, int att, int wk, long s0, long e0, int f) { n.incrementAndGet(); }
        });
        pools.add(p); counts.add(n); xs.put(c, new ArrayList<>()); ats.put(c, new ArrayList<>());
      }
      var stage = job.stage(cost);
      for (int r = 0; r <= reps; r++) {
        for (int j = 0; j < cs.size(); j++) {
          int idx = (j + r) % cs.size();
          counts.get(idx).set(0);
          RunRecord rec = pools.get(idx).run(job, stage, cost, r + 1);
          if (r > 0) { xs.get(cs.get(idx)).add(rec.makespanNanos() / lb); ats.get(cs.get(idx)).add(counts.get(idx).get()); }
        }
      }
      for (ContenderPool p : pools) p.close();
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s LB %.2f", a[i], lb / 1e6));
      for (Contender c : cs) {
        List<Double> x = xs.get(c); Collections.sort(x); List<Integer> at = ats.get(c); Collections.sort(at);
        sb.append(String.format(Locale.ROOT, " | %s %.3f (attempts %d)", c.label(), x.get(x.size() / 2), at.get(at.size() / 2)));
      }
      System.out.println(sb);
    }
  }
}
