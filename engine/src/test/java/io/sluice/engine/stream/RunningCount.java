package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.engine.stream.checkpoint.Checkpointed;

/**
 * Test operator: a running count per key (column 0 of input 0 as text), snapshotted as a text file. It skips a
 * replayed batch time at or before the snapshot it restored, as {@link Checkpointed} asks. On-heap on purpose:
 * the off-heap keyed state plugs into the same contract.
 */
public final class RunningCount implements Checkpointed, MicroBatchJob {
    public static final String FILE = "counts.txt";

    private final String name;
    private final TreeMap<String, Long> counts = new TreeMap<>();
    private final List<Long> applied = new ArrayList<>();
    private long restoredTime = Long.MIN_VALUE;

    public RunningCount(final String name) {
        this.name = name;
    }

    @Override
    public String checkpointName() {
        return name;
    }

    @Override
    public synchronized void process(final MicroBatch batch) {
        if (batch.batchTimeMillis() <= restoredTime) {
            return;
        }
        for (final String key : Collector.rows(batch.batch(0))) {
            counts.merge(key, 1L, Long::sum);
        }
        applied.add(batch.batchTimeMillis());
    }

    @Override
    public synchronized void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        final StringBuilder text = new StringBuilder("time=").append(batchTimeMillis).append('\n');
        for (final Map.Entry<String, Long> entry : counts.entrySet()) {
            text.append(entry.getKey()).append('\t').append(entry.getValue()).append('\n');
        }
        text.append("end\n");
        Files.write(dir.resolve(FILE), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void restore(final long batchTimeMillis, final Path dir) throws IOException {
        final List<String> lines = Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals("time=" + batchTimeMillis) || !lines.get(lines.size() - 1).equals("end")) {
            throw new IOException("file " + dir.resolve(FILE) + " is not a running count snapshot of batch time=" + batchTimeMillis);
        }
        counts.clear();
        for (final String line : lines.subList(1, lines.size() - 1)) {
            final int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IOException("file " + dir.resolve(FILE) + " has a bad line '" + line + "'");
            }
            counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
        }
        restoredTime = batchTimeMillis;
    }

    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** Batch times whose records this operator counted (after its restore). */
    public synchronized List<Long> applied() {
        return new ArrayList<>(applied);
    }

    public synchronized long restoredTime() {
        return restoredTime;
    }
}
