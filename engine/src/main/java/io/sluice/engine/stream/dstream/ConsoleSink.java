package io.sluice.engine.stream.dstream;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sluice.engine.dataset.Dataset;

/** An output that prints a header with the batch time and the first rows of every dataset to a print stream. */
final class ConsoleSink implements DatasetJob {
    static final int DEFAULT_ROWS = 10;

    private final PrintStream out;
    private final int rows;

    ConsoleSink(final PrintStream out, final int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows=" + rows + " must be > 0");
        }
        this.out = Objects.requireNonNull(out, "out");
        this.rows = rows;
    }

    @Override
    public void process(final long batchTimeMillis, final Dataset dataset) {
        final List<Object[]> first = dataset.limit(rows + 1).collect();
        final StringBuilder text = new StringBuilder(256);
        text.append("-------------------------------------------\n")
            .append("Batch time: ").append(batchTimeMillis).append(" ms\n")
            .append("-------------------------------------------\n");
        for (int i = 0; i < Math.min(rows, first.size()); i++) {
            text.append(Arrays.toString(first.get(i))).append('\n');
        }
        if (first.size() > rows) {
            text.append("...\n");
        }
        out.print(text);
        out.flush();
    }
}
