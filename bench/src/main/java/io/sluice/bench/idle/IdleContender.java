package io.sluice.bench.idle;

import java.util.Locale;
import java.util.function.Supplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import io.sluice.engine.sched.IdlePolicy;
import io.sluice.engine.sched.SchedulerConfig;

/**
 * One idle configuration under test: a preset ({@code busySpin}, {@code backoff}, {@code park}), {@code agrona}
 * (Agrona's {@link BackoffIdleStrategy} with its defaults: 10 spins, 5 yields, parks 1 us doubling to 1 ms, the
 * pool's idle strategy before {@link IdlePolicy} existed) or a custom {@code spins/yields/minParkNanos/maxParkNanos}.
 */
record IdleContender(String label, IdlePolicy policy, Supplier<IdleStrategy> custom) {
    static final String AGRONA = "agrona";

    /** Parses one {@code --policies} entry; throws naming the entry when it is neither a name nor four numbers. */
    static IdleContender parse(final String spec) {
        final String s = spec.trim();
        if (s.equalsIgnoreCase(AGRONA)) {
            return new IdleContender("agrona default (before)", null, BackoffIdleStrategy::new);
        }
        if (!s.contains("/")) {
            final IdlePolicy preset = IdlePolicy.named(s);
            return new IdleContender(preset.name(), preset, null);
        }
        final String[] parts = s.split("/");
        if (parts.length != 4) {
            throw new IllegalArgumentException("idle policy spec '" + spec + "' must be a preset, agrona, or "
                + "spins/yields/minParkNanos/maxParkNanos");
        }
        final long[] v = new long[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Long.parseLong(parts[i].trim());
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("idle policy spec '" + spec + "': '" + parts[i] + "' is not a number", ex);
            }
        }
        final IdlePolicy policy = IdlePolicy.of(v[0], v[1], v[2], v[3]);
        return new IdleContender(String.format(Locale.ROOT, "%d/%d/%s..%s", v[0], v[1], micros(v[2]), micros(v[3])), policy, null);
    }

    private static String micros(final long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos % 1_000 == 0 ? nanos / 1_000 + "us" : nanos + "ns";
    }

    /** A scheduler configuration of {@code workers} default-policy workers with this idle behaviour. */
    SchedulerConfig config(final String name, final int workers) {
        final SchedulerConfig.Builder b = SchedulerConfig.builder().name(name).workers(workers);
        return (policy != null ? b.idle(policy) : b.idleStrategy(custom)).build();
    }

    /** The settings in words, for the report. */
    String describe() {
        return policy != null ? policy.toString() : "Agrona BackoffIdleStrategy(10 spins, 5 yields, parks 1 us..1 ms)";
    }
}
