import io.sluice.bench.*;
import io.sluice.bench.harness.*;
import io.sluice.engine.sched.*;
import java.util.*;

/** Every attempt of one cell's stage per worker (start, end, flags), for the last of N runs, and the runs' x fluid bound. */
public class CellTimeline {
  record A(int task, int attempt, int worker, long s, long e, int flags) {}
  public static void main(String[] a) throws Exception {
    String skew = a[0]; int tasks = Integer.parseInt(a[1]); String[] sl = a[2].split("x"); double fail = Double.parseDouble(a[3]);
    int reps = Integer.parseInt(a[4]);
    Contender c = Contender.valueOf(a.length > 5 ? a[5] : "WORK_STEALING");
    Workload w = WorkloadGenerator.generate(tasks, Skew.parse(skew), 1_000_000L, 8, Integer.parseInt(sl[0]), Double.parseDouble(sl[1]), fail, 42);
    double speed = 0; for (int i = 0; i < 8; i++) speed += 1.0 / w.workerSlowdown(i);
    double fluid = w.totalTaskNanos() / speed;
    System.out.println("slowdowns " + Arrays.toString(java.util.stream.IntStream.range(0,8).mapToDouble(w::workerSlowdown).toArray()) + " fluid(ms)=" + fluid/1e6);
    MorselJob job = MorselJob.of(w);
    TaskCost cost = TaskCost.sleep();
    List<A> log = Collections.synchronizedList(new ArrayList<>());
    long[] st = new long[1];
    try (ContenderPool p = ContenderPool.open("tl", c, 8, b -> b.minMorselRows(job.minMorselRows()).seed(42).callerRuns(false))) {
      p.scheduler().addListener(new SchedulerListener() {
        public void onStageStarted(Stage<?> s, int wk, long t) { st[0] = t; }
        public void onTaskAttempt(Stage<?> s, int task, int att, int wk, long s0, long e0, int f) { log.add(new A(task, att, wk, s0, e0, f)); }
      });
      var stage = job.stage(cost);
      List<Double> xs = new ArrayList<>();
      for (int r = 1; r <= reps; r++) {
        log.clear();
        RunRecord rec = p.run(job, stage, cost, r);
        double x = rec.makespanNanos() / fluid;
        xs.add(x);
        if (a.length > 6 || r == reps) {
          System.out.printf(Locale.ROOT, "run %d makespan %.3f ms x=%.3f steals=%d%n", r, rec.makespanNanos()/1e6, x, rec.steals());
          List<A> l = new ArrayList<>(log); l.sort(Comparator.comparingInt(A::worker).thenComparingLong(A::s));
          for (A t : l) System.out.printf(Locale.ROOT, "  w%d t%-3d a%d %7.3f..%7.3f (%6.3f) f=%d%n", t.worker(), t.task(), t.attempt(), (t.s()-st[0])/1e6, (t.e()-st[0])/1e6, (t.e()-t.s())/1e6, t.flags());
        }
      }
      Collections.sort(xs);
      System.out.println("x sorted " + xs);
    }
  }
}
