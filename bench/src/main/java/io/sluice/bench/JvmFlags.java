package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every Sluice JVM needs (Chronicle Bytes on JDK 17+), as set once in the parent pom and copied
 * into {@code sluice-jvm.properties} at build time. JMH forks and the scripts take them from here.
 */
public final class JvmFlags {
    private static final String RESOURCE = "sluice-jvm.properties";
    /** The first JDK that knows {@code --sun-misc-unsafe-memory-access}. */
    private static final int JDK_WITH_EXTRA_FLAGS = 23;

    private JvmFlags() {
    }

    /** Flags for a JVM of the given feature version, e.g. 17 or 25. */
    public static List<String> forJdk(final int featureVersion) {
        final Properties properties = load();
        final List<String> flags = new ArrayList<>(split(properties.getProperty("jvm.flags", "")));
        if (featureVersion >= JDK_WITH_EXTRA_FLAGS) {
            flags.addAll(split(properties.getProperty("jvm.flags.jdk23", "")));
        }
        return List.copyOf(flags);
    }

    /** Flags for a JVM of the same version as this one. */
    public static List<String> forCurrentJdk() {
        return forJdk(Runtime.version().feature());
    }

    /** Prints the flags for the JDK version given as the only argument (default: this JVM's), space separated. */
    public static void main(final String[] args) {
        final int version = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.version().feature();
        System.out.println(String.join(" ", forJdk(version)));
    }

    private static List<String> split(final String flags) {
        final String trimmed = flags.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    private static Properties load() {
        final Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource=" + RESOURCE + " missing from the classpath of " + JvmFlags.class);
            }
            properties.load(in);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read resource=" + RESOURCE, ex);
        }
        return properties;
    }
}
