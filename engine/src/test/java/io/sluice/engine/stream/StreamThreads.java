package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the live threads a streaming context or its sources started (all named "sluice-stream-..."). */
public final class StreamThreads {
    private StreamThreads() {
    }

    public static List<String> alive() {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("sluice-stream")) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /** Collects the int64 column 0 of {@code batch}. */
    public static List<Long> values(final io.sluice.memory.Batch batch) {
        final List<Long> values = new ArrayList<>();
        final io.sluice.memory.Int64Vector vector = batch.int64Vector(0);
        for (int row = 0; row < batch.rowCount(); row++) {
            values.add(vector.get(row));
        }
        return values;
    }
}
