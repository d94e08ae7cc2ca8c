package io.sluice.bench.harness;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import io.sluice.ui.SluiceUi;

/**
 * {@code compare-scheduling --ui}: a dashboard over each Sluice contender's scheduler while its runs go on, on one port
 * so an open page follows from policy to policy, kept up for a hold time after the contender's last run so its
 * per-worker timeline can be read. ForkJoinPool has no Sluice scheduler and gets no dashboard.
 */
final class PolicyDashboard implements PolicyRunner.PoolWatcher {
    private final int port;
    private final Duration hold;
    private final PrintWriter err;

    PolicyDashboard(final int port, final Duration hold, final PrintWriter err) {
        this.port = port;
        this.hold = hold;
        this.err = err;
    }

    @Override
    public Watch watch(final ContenderPool pool) {
        final String label = pool.contender().label();
        if (pool.scheduler() == null) {
            err.printf(Locale.ROOT, "compare-scheduling: no dashboard for %s (not a Sluice scheduler)%n", label);
            return NONE.watch(pool);
        }
        final SluiceUi ui = SluiceUi.builder().scheduler(pool.scheduler()).port(port).start();
        err.printf(Locale.ROOT, "compare-scheduling: dashboard %s shows %s%n", ui.uri(), label);
        return () -> {
            try {
                if (!hold.isZero()) {
                    err.printf(Locale.ROOT, "compare-scheduling: %s done; its dashboard stays up %d s%n", label, hold.toSeconds());
                    Thread.sleep(hold.toMillis());
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                ui.close();
            }
        };
    }
}
