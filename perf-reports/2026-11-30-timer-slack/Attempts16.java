import io.sluice.bench.*;
import io.sluice.bench.harness.*;
import io.sluice.engine.sched.*;
import java.util.*;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where a sweep cell's attempts come from and where its time above the fluid bound goes, for work stealing with its
 * defaults on the sweep's pool (quick wake, caller waits, speculation off as in the sweep's work-stealing column).
 * Per cell, medians over REPS stages: attempts; the pieces the halving rule alone makes (a task of r rows taken is
 * halved while it has at least 2 x minMorselRows rows: 2^k pieces); the running splits (attempts flagged SPLIT_PART
 * minus the halving pieces); the stage's idle worker time (W x makespan - busy) per attempt; the gap
 * (makespan - fluid bound); the gap of the worker that finished last, i.e. its start-to-first-attempt delay plus the
 * time between its attempts (the stage's critical path outside the rows' own cost).
 * Usage: Attempts16.java REPS CELL... (CELL = skew,tasks,slowCount x factor,failureRate).
 */
public class Attempts16 {
  record A(int task, int worker, long s, long e, int flags) {}

  public static void main(String[] a) throws Exception {
    int reps = Integer.parseInt(a[0]);
    System.out.println("cell | LB ms | x LB | attempts | halving pieces | running splits | idle us per attempt | gap us | last worker: attempts, first start us, sum of gaps between attempts us, end after last attempt us");
    for (int i = 1; i < a.length; i++) {
      String[] f = a[i].split(",");
      String[] sl = f[2].split("x");
      Workload w = WorkloadGenerator.generate(Integer.parseInt(f[1]), Skew.parse(f[0]), 1_000_000L, 8,
          Integer.parseInt(sl[0]), Double.parseDouble(sl[1]), Double.parseDouble(f[3]), 42);
      MorselJob job = MorselJob.of(w);
      long halving = 0;
      for (long r : job.rows()) {
        long pieces = 1;
        while (r / pieces >= 2 * job.minMorselRows()) pieces *= 2;
        halving += pieces;
      }
      TaskCost cost = TaskCost.sleep();
      double lb = job.lowerBoundNanos();
      ConcurrentLinkedQueue<A> log = new ConcurrentLinkedQueue<>();
      long[] started = new long[1];
      List<double[]> obs = new ArrayList<>();
      try (ContenderPool p = ContenderPool.open("att", Contender.WORK_STEALING, 8,
          b -> b.minMorselRows(job.minMorselRows()).seed(42).callerRuns(false))) {
        p.scheduler().addListener(new SchedulerListener() {
          public void onStageStarted(Stage<?> s, int wk, long t) { started[0] = t; }
          public void onTaskAttempt(Stage<?> s, int task, int att, int wk, long s0, long e0, int fl) { log.add(new A(task, wk, s0, e0, fl)); }
        });
        var stage = job.stage(cost);
        for (int r = 0; r <= reps; r++) {
          log.clear();
          RunRecord rec = p.run(job, stage, cost, r + 1);
          if (r == 0) continue;
          List<A> l = new ArrayList<>(log);
          long busy = Arrays.stream(rec.busyNanos()).sum();
          long end = l.stream().mapToLong(A::e).max().orElseThrow();
          int lastWorker = l.stream().filter(x -> x.e() == end).findFirst().orElseThrow().worker();
          List<A> mine = l.stream().filter(x -> x.worker() == lastWorker).sorted(Comparator.comparingLong(A::s)).toList();
          long gaps = 0;
          for (int j = 1; j < mine.size(); j++) gaps += mine.get(j).s() - mine.get(j - 1).e();
          long t0 = started[0];
          obs.add(new double[] {rec.makespanNanos() / lb, l.size(), l.size() - halving,
              (8.0 * rec.makespanNanos() - busy) / l.size() / 1e3, (rec.makespanNanos() - lb) / 1e3,
              mine.size(), (mine.get(0).s() - t0) / 1e3, gaps / 1e3, (t0 + rec.makespanNanos() - end) / 1e3});
        }
      }
      double[] med = new double[obs.get(0).length];
      for (int m = 0; m < med.length; m++) {
        final int mm = m;
        double[] v = obs.stream().mapToDouble(o -> o[mm]).sorted().toArray();
        med[m] = v[v.length / 2];
      }
      System.out.printf(Locale.ROOT, "%s | %.2f | %.3f | %.0f | %d | %.0f | %.0f | %.0f | %.0f, %.0f, %.0f, %.0f%n", a[i], lb / 1e6, med[0],
          med[1], halving, med[2], med[3], med[4], med[5], med[6], med[7], med[8]);
    }
  }
}
