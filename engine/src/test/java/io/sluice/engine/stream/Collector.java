package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;

/** Test job: keeps every batch's rows as strings (column 0; UTF8 as text, other types via toString). */
public final class Collector implements BatchJob {
    private final List<List<String>> batches = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    @Override
    public synchronized void process(final long batchTimeMillis, final Batch batch) {
        times.add(batchTimeMillis);
        batches.add(rows(batch));
    }

    public static List<String> rows(final Batch batch) {
        final List<String> rows = new ArrayList<>();
        for (int row = 0; row < batch.rowCount(); row++) {
            switch (batch.schema().field(0).type()) {
                case UTF8:
                    rows.add(batch.utf8Vector(0).getString(row));
                    break;
                case INT64:
                    rows.add(Long.toString(batch.int64Vector(0).get(row)));
                    break;
                case INT32:
                    rows.add(Integer.toString(batch.int32Vector(0).get(row)));
                    break;
                default:
                    rows.add("?");
                    break;
            }
        }
        return rows;
    }

    public synchronized List<List<String>> batches() {
        return new ArrayList<>(batches);
    }

    public synchronized List<Long> times() {
        return new ArrayList<>(times);
    }

    public synchronized List<String> all() {
        final List<String> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }
}
