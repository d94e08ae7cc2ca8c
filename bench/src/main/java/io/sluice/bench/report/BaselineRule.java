package io.sluice.bench.report;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import io.sluice.bench.Baseline;

/**
 * Which result of a benchmark class is the baseline of the others: a method, or a value of one {@code @Param}, or
 * none. Read from {@link Baseline} and the {@code baseline*} naming convention by {@link #of(Class)}.
 */
public final class BaselineRule {
    private static final BaselineRule NONE = new BaselineRule(null, null, null);

    /** Baseline methods, sorted; null for a param rule or none. */
    private final List<String> methods;
    private final String param;
    private final String value;

    private BaselineRule(final List<String> methods, final String param, final String value) {
        this.methods = methods;
        this.param = param;
        this.value = value;
    }

    /** No baseline: no ratio column. */
    public static BaselineRule none() {
        return NONE;
    }

    /** The method {@code method} at the same params is the baseline. */
    public static BaselineRule method(final String method) {
        return methods(List.of(Objects.requireNonNull(method, "method")));
    }

    /**
     * Several baseline methods, one per family of benchmarks in a class (e.g. {@code sumLongArray} for the
     * {@code sum*} methods and {@code filterSumLongArray} for the {@code filterSum*} ones): a result is compared with
     * the baseline method whose name shares the longest prefix with its own, at the same params.
     */
    public static BaselineRule methods(final List<String> methods) {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no baseline method given");
        }
        return new BaselineRule(methods.stream().sorted().toList(), null, null);
    }

    /** The same method with param {@code param} = {@code value}, all other params equal, is the baseline. */
    public static BaselineRule param(final String param, final String value) {
        return new BaselineRule(null, Objects.requireNonNull(param, "param"), Objects.requireNonNull(value, "value"));
    }

    /**
     * The rule a benchmark class declares: {@code @Baseline(param, value)} on the class, else the methods annotated
     * {@code @Baseline} (one per family, see {@link #methods}), else a method named {@code baseline*}, else none.
     */
    public static BaselineRule of(final Class<?> benchmarkClass) {
        final Baseline onClass = benchmarkClass.getAnnotation(Baseline.class);
        if (onClass != null) {
            if (onClass.param().isEmpty()) {
                throw new IllegalArgumentException("@Baseline on class " + benchmarkClass.getName()
                    + " needs param and value (put it on a method to name a baseline method)");
            }
            return param(onClass.param(), onClass.value());
        }
        final TreeSet<String> annotated = new TreeSet<>();
        String named = null;
        for (final Method m : benchmarkClass.getMethods()) {
            if (m.isAnnotationPresent(Baseline.class)) {
                annotated.add(m.getName());
            } else if (m.getName().startsWith("baseline") && m.getDeclaringClass() != Object.class) {
                named = named == null || m.getName().compareTo(named) < 0 ? m.getName() : named;
            }
        }
        if (!annotated.isEmpty()) {
            return methods(List.copyOf(annotated));
        }
        return named != null ? method(named) : NONE;
    }

    /**
     * {@link #of(Class)} for a class name as JMH reports it (nested classes with dots); none when the class is not
     * on the classpath.
     */
    public static BaselineRule of(final String benchmarkClass) {
        String name = benchmarkClass;
        while (true) {
            try {
                return of(Class.forName(name, false, BaselineRule.class.getClassLoader()));
            } catch (final ClassNotFoundException | LinkageError ex) {
                // JMH names a nested class Outer.Inner; the class loader wants Outer$Inner
                final int dot = name.lastIndexOf('.');
                if (dot < 0 || name.indexOf('$') > dot) {
                    return NONE;
                }
                name = name.substring(0, dot) + '$' + name.substring(dot + 1);
            }
        }
    }

    /** Whether this rule names any baseline. */
    public boolean isPresent() {
        return this != NONE && (methods != null || param != null);
    }

    /** The baseline row of {@code row} among {@code rows} (same class and mode), if this rule and the data give one. */
    public Optional<BenchRow> baselineOf(final BenchRow row, final List<BenchRow> rows) {
        if (!isPresent()) {
            return Optional.empty();
        }
        final Map<String, String> wanted = new HashMap<>(row.params());
        final String wantedMethod;
        if (methods != null) {
            wantedMethod = closest(row.method());
        } else {
            if (!wanted.containsKey(param)) {
                return Optional.empty();
            }
            wanted.put(param, value);
            wantedMethod = row.method();
        }
        for (final BenchRow candidate : rows) {
            if (candidate.benchmarkClass().equals(row.benchmarkClass()) && candidate.mode().equals(row.mode())
                && candidate.unit().equals(row.unit()) && candidate.method().equals(wantedMethod)
                && candidate.params().equals(wanted)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The baseline method sharing the longest name prefix with {@code method} (the first such, in name order). */
    private String closest(final String method) {
        String best = methods.get(0);
        int bestLength = -1;
        for (final String candidate : methods) {
            int length = 0;
            while (length < Math.min(candidate.length(), method.length()) && candidate.charAt(length) == method.charAt(length)) {
                length++;
            }
            if (length > bestLength) {
                best = candidate;
                bestLength = length;
            }
        }
        return best;
    }

    /** Human description for the report, e.g. {@code method arrayScan} or {@code policy=static}. */
    public String describe() {
        if (methods != null) {
            return (methods.size() == 1 ? "method " : "methods ") + String.join(", ", methods.stream().map(m -> "`" + m + "`").toList())
                + (methods.size() == 1 ? "" : " (each result: the one sharing its name's longest prefix)");
        }
        return param != null ? "`" + param + "=" + value + "`" : "none";
    }

    @Override
    public String toString() {
        return describe();
    }
}
