package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.sluice.engine.stream.StreamHarness;

/**
 * A keyed-state stream's snapshot / restore round trip through its graph's checkpointed operators: run to batch
 * {@code cut}, snapshot, then in a new graph restore and replay (the batches up to the cut yield nothing new, the
 * later ones what an uninterrupted run yields).
 */
final class StateRestoreRoundTrip {
    private StateRestoreRoundTrip() {
    }

    /**
     * Runs {@code inputs[0, cut)} on the stream {@code define} builds, snapshots into {@code dir}, restores a new
     * graph from it, feeds {@code filler} to each batch time up to the cut (each must read as {@code skipped} through
     * {@code view}) and then {@code inputs[cut, end)} (batch b must read as {@code want.get(b)}).
     */
    static <T> void check(final Path dir, final Function<StreamHarness, MemorySink> define, final List<List<Object[]>> inputs,
                          final int cut, final List<Object[]> filler, final BiFunction<MemorySink, Integer, T> view,
                          final T skipped, final List<T> want) throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            define.apply(h);
            h.start();
            for (int b = 0; b < cut; b++) {
                h.batch(inputs.get(b));
            }
            h.snapshotOperators(StreamHarness.INTERVAL * cut, dir);
        }
        try (StreamHarness h = new StreamHarness()) {
            final MemorySink out = define.apply(h);
            h.restoreOperators(StreamHarness.INTERVAL * cut, dir);
            h.start();
            for (int b = 0; b < cut; b++) {
                h.batch(filler);
                assertEquals(skipped, view.apply(out, b), "replayed batch " + b + " is skipped");
            }
            for (int b = cut; b < inputs.size(); b++) {
                h.batch(inputs.get(b));
                assertEquals(want.get(b), view.apply(out, b), "batch " + b + " after the restore");
            }
        }
    }
}
