package io.sluice.bench.cli;

import java.time.Duration;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --ui [PORT]} and {@code --ui-hold S}, mixed into a harness's options: whether to serve the dashboard while
 * the harness runs, on which port, and how long to keep it up once a contender's runs end.
 */
public final class DashboardOptions {
    private static final int MAX_PORT = 65_535;
    private static final int MAX_HOLD_SECONDS = 3600;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;
    private int port = -1;
    private int holdSeconds = 10;

    @Option(names = "--ui", order = 90, paramLabel = "PORT", arity = "0..1", fallbackValue = "4040",
        description = "Serve the dashboard on 127.0.0.1:PORT (4040 if no port is given; 0 picks a free one) while each "
            + "Sluice policy runs, and keep it up --ui-hold seconds after that policy's last run.")
    private void setPort(final String value) {
        port = (int) parse("--ui", value, MAX_PORT);
    }

    @Option(names = "--ui-hold", order = 91, paramLabel = "S", defaultValue = "10",
        description = "With --ui: seconds each policy's dashboard stays up after its last run, 0..3600 "
            + "(default: ${DEFAULT-VALUE}).")
    private void setHold(final String value) {
        holdSeconds = (int) parse("--ui-hold", value, MAX_HOLD_SECONDS);
    }

    /** Whether {@code --ui} was given. */
    public boolean enabled() {
        return port >= 0;
    }

    /** The dashboard's port (0: any free port); meaningful when {@link #enabled()}. */
    public int port() {
        return port;
    }

    /** How long each contender's dashboard stays up after its last run. */
    public Duration hold() {
        return Duration.ofSeconds(holdSeconds);
    }

    /** The options as command-line arguments (none without {@code --ui}), for reports. */
    public List<String> toArgs() {
        return enabled() ? List.of("--ui", Integer.toString(port), "--ui-hold", Integer.toString(holdSeconds)) : List.of();
    }

    private long parse(final String option, final String value, final long max) {
        try {
            final long v = Long.parseLong(value.trim());
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (final NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new ParameterException(mixee.commandLine(),
            "invalid value for " + option + ": '" + value + "'; accepted: an integer in 0.." + max);
    }
}
