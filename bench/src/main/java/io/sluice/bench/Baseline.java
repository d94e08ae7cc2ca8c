package io.sluice.bench;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the baseline that {@code scripts/bench} divides the other results of a benchmark class by (the "ratio"
 * column of its summary). Two forms:
 * <ul>
 *   <li>on a {@code @Benchmark} method: every other method of the class is compared with this method at the same
 *       {@code @Param} values (e.g. {@code arrayScan} as the baseline of {@code vectorScan});</li>
 *   <li>on the class, with {@link #param()} and {@link #value()}: every result is compared with the result of the
 *       same method whose parameter {@code param} equals {@code value}, all other parameters equal (e.g.
 *       {@code @Baseline(param = "policy", value = "static")}).</li>
 * </ul>
 * Without the annotation, a method named {@code baseline} or starting with {@code baseline} is the baseline of its
 * class. A class without any has no ratio column.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Baseline {
    /** On a class: the {@code @Param} whose value picks the baseline. Ignored on a method. */
    String param() default "";

    /** On a class: the value of {@link #param()} that is the baseline. Ignored on a method. */
    String value() default "";
}
