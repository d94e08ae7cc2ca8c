package io.sluice.bench.harness;

import java.math.BigDecimal;

/** Plain decimal text for an option value in prose: {@code 4}, {@code 0.05}, never {@code 4.0} or {@code 5.0E-2}. */
final class MarkdownNumber {
    private MarkdownNumber() {
    }

    static String of(final double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
