package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import io.sluice.bench.report.RunLoad;

/**
 * A JMH benchmark method against its baseline, interleaved in one JVM: round after round, each method runs for about
 * {@link #SLICE_NANOS} in turn (order alternating), and the ratio is taken from the per-round medians. On a machine
 * shared with other work the load changes within seconds; JMH's consecutive runs of each method then measure
 * different machines, while slices of a few tens of milliseconds side by side see the same one.
 *
 * <pre>java [the fork's flags] -cp bench/target/benchmarks.jar io.sluice.bench.PairedRatio CLASS CANDIDATE BASELINE
 *     [rounds] [name=value ...]</pre>
 *
 * {@code name=value} sets a {@code @Param} field (others take their first listed value, as in JMH). Prints
 * candidate and baseline ns/op (median of rounds), the speedup (baseline time / candidate time: above 1 means the
 * candidate is faster), the same from the best round, the speedup in CPU time per op summed over the JVM's threads
 * (the work done, which being descheduled does not inflate), the load average around the run and the process CPU
 * time over wall time. Not thread-safe; one run per JVM.
 */
public final class PairedRatio {
    /** Target duration of one method's slice in a round. */
    static final long SLICE_NANOS = 40_000_000L;
    private static final int DEFAULT_ROUNDS = 40;

    private static long sink;

    private PairedRatio() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PairedRatio CLASS CANDIDATE BASELINE [rounds] [param=value ...]");
            System.exit(2);
        }
        final Class<?> type = Class.forName(args[0]);
        final Object state = type.getConstructor().newInstance();
        int rounds = DEFAULT_ROUNDS;
        // JMH sets @Param fields to their first listed value unless told otherwise; do the same.
        for (final Field field : type.getFields()) {
            final Param param = field.getAnnotation(Param.class);
            if (param != null && param.value().length > 0) {
                setParam(state, field.getName(), param.value()[0]);
            }
        }
        for (int i = 3; i < args.length; i++) {
            final int eq = args[i].indexOf('=');
            if (eq < 0) {
                rounds = Integer.parseInt(args[i]);
            } else {
                setParam(state, args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }
        final Method candidate = type.getMethod(args[1]);
        final Method baseline = type.getMethod(args[2]);
        final double loadBefore = RunLoad.loadAverage();
        final long wallStart = System.nanoTime();
        final long cpuStart = RunLoad.processCpuNanos();
        invokeAll(state, Setup.class);
        try {
            final Result result = run(state, candidate, baseline, rounds);
            final double loadAfter = RunLoad.loadAverage();
            final double wall = (System.nanoTime() - wallStart) / 1e9;
            final double cpu = (RunLoad.processCpuNanos() - cpuStart) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                "%s %s=%.0f ns/op %s=%.0f ns/op speedup=%.3fx (best-round %.3fx; thread CPU per op %.0f vs %.0f ns:"
                    + " %.3fx) rounds=%d load=%.2f->%.2f cpu/wall=%.1f/%.1fs",
                type.getSimpleName(), candidate.getName(), result.candidate, baseline.getName(), result.baseline,
                result.baseline / result.candidate, result.bestBaseline / result.bestCandidate, result.candidateCpu,
                result.baselineCpu, result.baselineCpu / result.candidateCpu, rounds, loadBefore, loadAfter, cpu, wall));
        } finally {
            invokeAll(state, TearDown.class);
        }
        if (sink == 42) {
            System.out.println("(sink)");
        }
    }

    /** Median wall ns/op, best wall ns/op and median process-CPU ns/op of each method over the rounds. */
    private record Result(double candidate, double baseline, double bestCandidate, double bestBaseline,
                          double candidateCpu, double baselineCpu) {
    }

    private static Result run(final Object state, final Method candidate, final Method baseline, final int rounds)
        throws ReflectiveOperationException {
        // Warm-up: a few slices of each, and an estimate of how many calls fill a slice.
        final int candidateCalls = callsPerSlice(state, candidate);
        final int baselineCalls = callsPerSlice(state, baseline);
        final double[] c = new double[rounds];
        final double[] b = new double[rounds];
        final double[] cCpu = new double[rounds];
        final double[] bCpu = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            for (int half = 0; half < 2; half++) {
                final boolean candidateTurn = (half == 0) == ((round & 1) == 0);
                final long cpu = threadsCpuNanos();
                if (candidateTurn) {
                    c[round] = slice(state, candidate, candidateCalls);
                    cCpu[round] = (threadsCpuNanos() - cpu) / (double) candidateCalls;
                } else {
                    b[round] = slice(state, baseline, baselineCalls);
                    bCpu[round] = (threadsCpuNanos() - cpu) / (double) baselineCalls;
                }
            }
        }
        return new Result(median(c), median(b), Arrays.stream(c).min().orElse(0), Arrays.stream(b).min().orElse(0),
            median(cCpu), median(bCpu));
    }

    private static int callsPerSlice(final Object state, final Method method) throws ReflectiveOperationException {
        int calls = 1;
        double perCall = 0;
        for (int i = 0; i < 5; i++) {
            perCall = slice(state, method, calls);
            calls = (int) Math.max(1, Math.min(1_000_000, SLICE_NANOS / Math.max(1, perCall)));
        }
        return calls;
    }

    /** ns per call over {@code calls} calls. */
    private static double slice(final Object state, final Method method, final int calls)
        throws ReflectiveOperationException {
        final long start = System.nanoTime();
        long local = 0;
        for (int i = 0; i < calls; i++) {
            local += consume(invoke(state, method));
        }
        final long elapsed = System.nanoTime() - start;
        sink += local;
        return elapsed / (double) calls;
    }

    private static long consume(final Object value) {
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        return value == null ? 0 : System.identityHashCode(value);
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Object invoke(final Object state, final Method method) throws ReflectiveOperationException {
        try {
            return method.invoke(state);
        } catch (final InvocationTargetException ex) {
            if (ex.getCause() instanceof RuntimeException) {
                throw (RuntimeException) ex.getCause();
            }
            throw ex;
        }
    }

    /** Calls the trial-level {@code @Setup} or {@code @TearDown} methods of the state. */
    private static void invokeAll(final Object state, final Class<? extends java.lang.annotation.Annotation> kind)
        throws ReflectiveOperationException {
        final List<Method> methods = new ArrayList<>();
        for (final Method m : state.getClass().getMethods()) {
            final Setup setup = m.getAnnotation(Setup.class);
            final TearDown tearDown = m.getAnnotation(TearDown.class);
            if (kind == Setup.class && setup != null && setup.value() == Level.Trial
                || kind == TearDown.class && tearDown != null && tearDown.value() == Level.Trial) {
                methods.add(m);
            }
        }
        for (final Method m : methods) {
            invoke(state, m);
        }
    }

    private static void setParam(final Object state, final String name, final String value) throws ReflectiveOperationException {
        final Field field = state.getClass().getField(name);
        if (field.getType() == int.class) {
            field.setInt(state, Integer.parseInt(value));
        } else if (field.getType() == long.class) {
            field.setLong(state, Long.parseLong(value));
        } else {
            field.set(state, value);
        }
    }

    /** CPU time of every live thread of this JVM, summed (nanosecond resolution, unlike the process total here). */
    private static long threadsCpuNanos() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final long id : threads.getAllThreadIds()) {
            final long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }
}
