import io.sluice.bench.*;
import io.sluice.bench.harness.*;
import io.sluice.bench.sim.*;
import io.sluice.engine.sched.*;
import java.util.*;

/** Simulated sweep cells (no failures): work stealing, running splits on, makespan over the fluid bound. */
public class SimSweep {
  public static void main(String[] a) throws Exception {
    long overhead = a.length > 0 ? Long.parseLong(a[0]) : 0;
    for (String slow : new String[]{"1x2","1x8","2x2","2x8"})
    for (int tasks : new int[]{16,64,256})
    for (String skew : new String[]{"zipf:1","zipf:1.3","zipf:1.6"}) {
      String[] sl = slow.split("x");
      Workload w = WorkloadGenerator.generate(tasks, Skew.parse(skew), 1_000_000L, 8,
          Integer.parseInt(sl[0]), Double.parseDouble(sl[1]), 0, 42);
      double speed = 0; for (int i = 0; i < 8; i++) speed += 1.0 / w.workerSlowdown(i);
      double fluid = w.totalTaskNanos() / speed;
      MorselJob job = MorselJob.of(w);
      SimConfig.Builder c = SimConfig.builder(8, SchedulingPolicy.WORK_STEALING).minMorselRows(job.minMorselRows()).attemptOverheadNanos(overhead).splitRunning(true);
      for (int i = 0; i < 8; i++) if (w.workerSlowdown(i) > 1) c.slowWorker(i, w.workerSlowdown(i));
      SimResult r = new ClusterSimulator(c.build()).run(SkewScenario.tasks(job, true));
      System.out.printf(Locale.ROOT, "%-10s %4d %s fluid=%.2f sim=%.2f x=%.3f steals=%d%n", skew, tasks, slow, fluid/1e6, r.makespanSeconds()*1e3, r.makespanSeconds()*1e9/fluid, r.steals());
    }
  }
}
