package io.sluice.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags every Sluice JVM needs, and the start-up check that they were given.
 *
 * <p>Agrona's buffers need {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} for any off-heap use,
 * Chronicle Bytes the rest; on JDK {@value #JDK_WITH_EXTRA_FLAGS} and later two more flags keep the JDK from
 * warning about (and, in later releases, refusing) native and {@code sun.misc.Unsafe} memory access. The flags are
 * defined once, in the parent pom ({@code sluice.jvm.flags}, {@code sluice.jvm.flags.jdk23}), and copied at build
 * time into the JDK argument files {@value #ARGFILE} and {@value #ARGFILE_JDK23} of this jar's {@code META-INF} (and
 * the repository root): {@code java @sluice.jvmopts [@sluice-jdk23.jvmopts] ...}. {@code main} prints the flags
 * for the running JDK in the same format.
 *
 * <p>{@link #check()} runs when a {@link BufferAllocator} is created, so before any Sluice thread starts: if a flag
 * is missing it throws one {@link IllegalStateException} naming every missing flag. It tests the effect, not the
 * command line ({@code Module.isExported}/{@code isOpen}), so flags given through a jar manifest or
 * {@code JDK_JAVA_OPTIONS} count too. {@code -D}{@value #CHECK_PROPERTY}{@code =false} skips it.
 */
public final class JvmFlags {
    /** The argument file of the flags every JDK needs, in {@code META-INF/} of this jar and in the repository root. */
    public static final String ARGFILE = "sluice.jvmopts";
    /** The argument file of the flags JDK {@value #JDK_WITH_EXTRA_FLAGS} and later need as well. */
    public static final String ARGFILE_JDK23 = "sluice-jdk23.jvmopts";
    /** The system property that skips {@link #check()} when set to {@code false}. */
    public static final String CHECK_PROPERTY = "sluice.jvmFlags.check";
    /** The first JDK that knows {@code --sun-misc-unsafe-memory-access}, and so needs {@value #ARGFILE_JDK23}. */
    public static final int JDK_WITH_EXTRA_FLAGS = 23;

    private static final String UNNAMED = "=ALL-UNNAMED";

    private JvmFlags() {
    }

    /** Flags for a JVM of the given feature version, e.g. 17 or 25, in order. */
    public static List<String> forJdk(final int featureVersion) {
        final List<String> flags = new ArrayList<>(read(ARGFILE));
        if (featureVersion >= JDK_WITH_EXTRA_FLAGS) {
            flags.addAll(read(ARGFILE_JDK23));
        }
        return List.copyOf(flags);
    }

    /** Flags for a JVM of the same version as this one. */
    public static List<String> forCurrentJdk() {
        return forJdk(Runtime.version().feature());
    }

    /** The flags of {@link #forCurrentJdk()} that this JVM was not started with (as far as their effect shows). */
    public static List<String> missing() {
        final List<String> out = new ArrayList<>();
        final Module self = JvmFlags.class.getModule();
        for (final String flag : forCurrentJdk()) {
            if (!inEffect(flag, self)) {
                out.add(flag);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Throws {@link IllegalStateException} naming every missing flag and how to add them, unless they are all in
     * effect or {@value #CHECK_PROPERTY} is {@code false}. Checks once per JVM; later calls repeat the outcome.
     */
    public static void check() {
        final String failure = Outcome.FAILURE;
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Prints the flags for the JDK version given as the only argument (default: this JVM's), one per line. */
    public static void main(final String[] args) {
        final int version = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.version().feature();
        System.out.println(String.join(System.lineSeparator(), forJdk(version)));
    }

    /** The message for these missing flags: all of them, and the two ways to pass them. */
    static String message(final List<String> missing, final int featureVersion) {
        final String files = featureVersion >= JDK_WITH_EXTRA_FLAGS ? "@" + ARGFILE + " @" + ARGFILE_JDK23 : "@" + ARGFILE;
        return "Sluice needs JVM flags this JVM was started without: " + String.join(" ", missing)
            + ". Start java with the argument files from the Sluice repository root (or META-INF/ of the sluice-memory"
            + " jar): java " + files + " ..., or add the flags to your launcher or build (e.g. surefire's argLine); "
            + "java -cp <sluice-memory jar> " + JvmFlags.class.getName() + " prints them for this JDK. -D"
            + CHECK_PROPERTY + "=false skips this check.";
    }

    /** Whether {@code flag} is in effect for classes of {@code self}'s module; flags of unknown form count as given. */
    static boolean inEffect(final String flag, final Module self) {
        if (flag.startsWith("--add-exports=") && flag.endsWith(UNNAMED)) {
            final String[] target = target(flag, "--add-exports=");
            return module(target[0]).map(m -> m.isExported(target[1], self)).orElse(true);
        }
        if (flag.startsWith("--add-opens=") && flag.endsWith(UNNAMED)) {
            final String[] target = target(flag, "--add-opens=");
            return module(target[0]).map(m -> m.isOpen(target[1], self)).orElse(true);
        }
        if (flag.equals("--enable-native-access=ALL-UNNAMED")) {
            return nativeAccessEnabled(self);
        }
        if (flag.startsWith("--sun-misc-unsafe-memory-access=")) {
            return inputArguments().map(args -> args.contains(flag)).orElse(true);
        }
        return true;
    }

    /** {@code "--add-opens=java.base/java.nio=ALL-UNNAMED"} to {@code {"java.base", "java.nio"}}. */
    private static String[] target(final String flag, final String prefix) {
        final String spec = flag.substring(prefix.length(), flag.length() - UNNAMED.length());
        final int slash = spec.indexOf('/');
        if (slash <= 0) {
            throw new IllegalStateException("malformed flag '" + flag + "' in " + ARGFILE + ": expected module/package");
        }
        return new String[] {spec.substring(0, slash), spec.substring(slash + 1)};
    }

    private static Optional<Module> module(final String name) {
        return ModuleLayer.boot().findModule(name);
    }

    /** {@code Module.isNativeAccessEnabled()} (JDK 22+; this code compiles for 17, hence reflection). */
    private static boolean nativeAccessEnabled(final Module self) {
        try {
            final Method method = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) method.invoke(self);
        } catch (final ReflectiveOperationException ex) {
            return true;
        }
    }

    /** The JVM's input arguments (argument files expanded), if the java.management module is present. */
    private static Optional<List<String>> inputArguments() {
        try {
            final Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            final Object runtime = factory.getMethod("getRuntimeMXBean").invoke(null);
            final Method arguments = Class.forName("java.lang.management.RuntimeMXBean").getMethod("getInputArguments");
            @SuppressWarnings("unchecked")
            final List<String> args = (List<String>) arguments.invoke(runtime);
            return Optional.of(args);
        } catch (final ReflectiveOperationException | LinkageError ex) {
            return Optional.empty();
        }
    }

    private static List<String> read(final String file) {
        try (InputStream in = JvmFlags.class.getResourceAsStream("/META-INF/" + file)) {
            if (in == null) {
                throw new IllegalStateException("resource=META-INF/" + file + " missing from the classpath of " + JvmFlags.class);
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read resource=META-INF/" + file, ex);
        }
    }

    /** The check's outcome, computed once on first use: null if every flag is in effect (or checks are off). */
    private static final class Outcome {
        static final String FAILURE = compute();

        private Outcome() {
        }

        private static String compute() {
            if ("false".equalsIgnoreCase(String.valueOf(System.getProperty(CHECK_PROPERTY)).trim())) {
                return null;
            }
            try {
                final List<String> missing = missing();
                return missing.isEmpty() ? null : message(missing, Runtime.version().feature());
            } catch (final RuntimeException ex) {
                return "cannot check Sluice's JVM flags: " + ex;
            }
        }
    }
}
