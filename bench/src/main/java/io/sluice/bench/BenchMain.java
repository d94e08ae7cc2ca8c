package io.sluice.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.Main;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.sluice.memory.JvmFlags;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with the JVM flags Sluice needs prepended to
 * every fork, so a plain {@code java -jar bench/target/benchmarks.jar} works on JDK 17 and 25.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        final CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (final CommandLineOptionException ex) {
            System.err.println("Error parsing command line: " + ex.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams()
            || cmd.shouldListProfilers() || cmd.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        final List<String> prepend = new ArrayList<>(JvmFlags.forCurrentJdk());
        if (cmd.getJvmArgsPrepend().hasValue()) {
            prepend.addAll(cmd.getJvmArgsPrepend().get());
        }
        final Options options = new OptionsBuilder()
            .parent(cmd)
            .jvmArgsPrepend(prepend.toArray(new String[0]))
            .build();
        try {
            final Collection<RunResult> results = new Runner(options).run();
            if (results.isEmpty()) {
                System.exit(1);
            }
        } catch (final RunnerException ex) {
            System.err.println("ERROR: " + ex.getMessage());
            System.exit(1);
        }
    }
}
